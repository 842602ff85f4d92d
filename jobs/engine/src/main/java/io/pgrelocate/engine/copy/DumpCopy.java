package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.files.RunDirectory;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.roles.RoleCarrier;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.stop.Interruption;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The "dump" strategy's copy: {@code pg_dump -Fd -j N} into this run's private directory in the
 * work directory, then {@code pg_restore -j N} from a filtered table of contents, then ANALYZE; the
 * dump is removed with the directory. The tools themselves are {@link DumpRestore}'s.
 */
public final class DumpCopy implements BulkCopier {
    private final DumpRestore tools;
    private final CopyOptions options;
    private final Consumer<String> out;
    private final Clock clock;

    public DumpCopy(CopyOptions options, Consumer<String> out, Clock clock) {
        this.tools = new DumpRestore(options, out, clock);
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    public CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles) {
        return copy(source, target, tables, roles, null);
    }

    @Override
    public CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles, String snapshot) {
        try (RunDirectory run = RunDirectory.create(options.workDir())) {
            return copyIn(run.path(), source, target, tables, roles, snapshot);
        }
    }

    /** The copy inside this run's private directory {@code runDir}, removed with everything in it afterwards. */
    private CopyResult copyIn(Path runDir, ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables,
                              List<RoleInfo> roles, String snapshot) {
        Path dumpDir = runDir.resolve("dump");
        return DumpRestore.withPgpass(runDir, List.of(source, target), pgpass -> {
            Instant t0 = clock.instant();
            long dumpBytes = tools.dump(source, pgpass, tables, dumpDir, snapshot);
            Instant t1 = clock.instant();
            out.accept("dump: done, " + Durations.bytes(dumpBytes) + " in " + Durations.human(Duration.between(t0, t1)));

            List<String> created = RoleCarrier.carryIfKept(options.keepOwnership(), options.rolePasswords(), source, target, roles, out);
            Path list = tools.restoreList(DumpRestore.runnerFor(target, pgpass), dumpDir, lines -> lines);
            tools.restore(target, pgpass, list, dumpDir, tables);
            Instant t2 = clock.instant();
            out.accept("restore: done in " + Durations.human(Duration.between(t1, t2)));

            if (options.analyze()) {
                Interruption.checkpoint("analyze");
                out.accept("analyze: collecting planner statistics on the target");
                try (Db db = Db.connect(target)) {
                    db.execute("ANALYZE");
                }
            }
            Instant t3 = clock.instant();
            return new CopyResult("dump", options.jobs(), List.of(
                    new CopyResult.Phase("dump", Duration.between(t0, t1), "(" + Durations.bytes(dumpBytes) + ")"),
                    new CopyResult.Phase("restore", Duration.between(t1, t2)), new CopyResult.Phase("analyze", Duration.between(t2, t3))),
                    dumpBytes, created, options.filter().excludedExtensions().stream().sorted().toList());
        });
    }

    @Override
    public List<String> plannedCommands(ConnectionSpec target) {
        Path dumpDir = options.workDir().resolve("pgrelocate-XXXXXXXX").resolve("dump");
        return List.of(String.join(" ", tools.dumpDirectoryCommand(dumpDir, null)),
                String.join(" ", tools.restoreCommand(dumpDir.resolveSibling("restore.list"), dumpDir, target.database(), options.jobs())));
    }
}
