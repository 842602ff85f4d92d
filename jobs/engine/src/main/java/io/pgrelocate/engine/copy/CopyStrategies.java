package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.time.Clock;
import java.util.function.Consumer;

/** The bulk copier of each strategy. */
public final class CopyStrategies {
    private CopyStrategies() {
    }

    /** The copier that moves the bulk of the data for {@code options.strategy()}. */
    public static CopyStrategy bulkCopier(CopyOptions options, Consumer<String> out, Clock clock) {
        return switch (options.strategy()) {
            case DUMP -> new DumpRestore(options, out, clock);
            case STREAM -> new StreamCopy(options, StreamTuning.fromEnvironment(), out, clock);
            case LOGICAL -> throw new EngineException(ExitCode.BAD_SETTINGS,
                    "strategy " + options.strategy().label() + " is not available in this build; use --strategy dump");
        };
    }
}
