package io.pgrelocate.engine.copy;

import java.time.Clock;
import java.util.function.Consumer;

/** The bulk copier of each strategy. */
public final class CopyStrategies {
    private CopyStrategies() {
    }

    /** The copier that moves the bulk of the data for {@code options.strategy()}. */
    public static BulkCopier bulkCopier(CopyOptions options, Consumer<String> out, Clock clock) {
        return switch (options.strategy()) {
            case DUMP -> new DumpCopy(options, out, clock);
            // logical's bulk copy runs from the slot's exported snapshot, before the catch-up: no dump on disk
            case STREAM, LOGICAL -> new StreamCopy(options, StreamTuning.fromEnvironment(), out, clock);
        };
    }
}
