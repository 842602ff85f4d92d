package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.copy.CopyInWindow;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpCopy;
import io.pgrelocate.engine.copy.StreamCopy;
import io.pgrelocate.engine.copy.StreamTuning;
import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.logical.LogicalInWindow;
import io.pgrelocate.engine.verify.SourceDigests;

import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** The one place that turns a strategy's name into the copy the runbook drives. */
public final class Strategies {
    private Strategies() {
    }

    /** The copy of {@code tables} and {@code roles} (what preflight read) for {@code settings.copy().strategy()}. */
    public static WindowCopy of(MigrationSettings settings, List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        CopyOptions options = settings.copy();
        String name = options.strategy().label();
        return switch (options.strategy()) {
            case DUMP -> new CopyInWindow(name, new DumpCopy(options, out, clock), true, settings.source(), settings.target(), tables, roles);
            case STREAM -> {
                // the proof's source side is taken from the rows the copy relays (logical's bulk copy takes none: replication changes them after)
                SourceDigests digests = new SourceDigests();
                yield new CopyInWindow(name, new StreamCopy(options, StreamTuning.fromEnvironment(), digests, out, clock), digests, false,
                        settings.source(), settings.target(), tables, roles);
            }
            // logical's bulk copy runs from the slot's exported snapshot, before the catch-up: no dump on disk
            case LOGICAL -> logical(settings, tables, roles, out, clock);
        };
    }

    /** The logical copy whatever --strategy says: replicate and switch have no other. */
    public static LogicalInWindow logical(MigrationSettings settings, List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        return new LogicalInWindow(settings.source(), settings.target(), settings.logical(), settings.copy(),
                stream(settings.copy(), out, clock), tables, roles, out, clock);
    }

    private static StreamCopy stream(CopyOptions options, Consumer<String> out, Clock clock) {
        return new StreamCopy(options, StreamTuning.fromEnvironment(), out, clock);
    }
}
