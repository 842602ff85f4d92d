package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.time.Duration;

/** A sleep that turns an interrupt (SIGTERM's shutdown) into a failure the caller's teardown handles. */
final class Pause {
    private Pause() {
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.FAILED, "interrupted", e);
        }
    }
}
