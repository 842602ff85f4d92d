package io.pgrelocate.engine.stop;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.EngineException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the process was asked to stop (SIGTERM from Kubernetes deleting the Job's pod, Ctrl-C).
 * Long steps and waits call {@link #checkpoint} so that a stop turns into an ordinary failure of the
 * step, and the runbook's usual failure path undoes what had begun (un-fence, thaw, drop slots).
 */
public final class Interruption {
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean TARGET_LIVE = new AtomicBoolean();

    private Interruption() {
    }

    /** Marks the process as stopping; called by the signal handling, and by tests. */
    public static void request() {
        REQUESTED.set(true);
    }

    public static boolean requested() {
        return REQUESTED.get();
    }

    /**
     * Throws {@link ExitCode#INTERRUPTED} when a stop was requested; {@code during} names the step.
     * Clears the thread's interrupt flag (the signal handling sets it to wake the step up), so the
     * failure path that undoes what had begun can still wait and sleep.
     */
    public static void checkpoint(String during) {
        if (REQUESTED.get()) {
            Thread.interrupted();
            throw new EngineException(ExitCode.INTERRUPTED, "interrupted during " + during);
        }
    }

    /**
     * The run's target has gone live (true) or a new run begins (false): from then on a stop
     * undoes nothing (the target stays live, the source fenced), and the signal's line says so.
     */
    public static void targetLive(boolean live) {
        TARGET_LIVE.set(live);
    }

    public static boolean targetLive() {
        return TARGET_LIVE.get();
    }

    /** For tests that request a stop and then go on in the same JVM. */
    public static void reset() {
        REQUESTED.set(false);
        TARGET_LIVE.set(false);
    }
}
