package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.KeyTables;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpRestore;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.ServerVersion;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One trial dump of the source, timed, after checking that its key tables exist and hold rows.
 * With a volume at the work directory it is the same {@code pg_dump -Fd -j N} the migration runs,
 * into {@code <work-dir>/backup-test}, removed afterwards so it does not take the room the real
 * dump needs. Without one (the directory does not exist) it is {@code pg_dump -Fc} to a stream that
 * is counted and thrown away. The dump itself is the engine's; the source is only read.
 */
public final class BackupTest {
    static final String DIR_NAME = "backup-test";

    private final ConnectionSpec source;
    private final CopyOptions options;
    private final List<String> keyTables;
    private final Consumer<String> out;
    private final Clock clock;

    /** @param keyTables {@code schema.table} names that must hold rows; empty: the five largest tables */
    public BackupTest(ConnectionSpec source, CopyOptions options, List<String> keyTables, Consumer<String> out, Clock clock) {
        this.source = source;
        this.options = options;
        this.keyTables = keyTables;
        this.out = out;
        this.clock = clock;
    }

    public Path dumpDir() {
        return options.workDir().resolve(DIR_NAME);
    }

    /** A volume is mounted at the work directory: keep the dump there until it is measured. */
    private boolean toVolume() {
        return Files.isDirectory(options.workDir());
    }

    public BackupTestReport run() {
        BackupTestReport.Builder report = new BackupTestReport.Builder(source.display(), clock.instant(), options.tools().pgDump(),
                toVolume() ? BackupTestReport.TO_VOLUME : BackupTestReport.TO_STREAM, toVolume() ? options.jobs() : 1,
                toVolume() ? dumpDir().toString() : null);
        out.accept("backup-test: connecting to " + source.display());
        ServerVersion version;
        List<TableInfo> tables;
        try (Db db = Db.connect(source)) {
            db.execute("SET default_transaction_read_only = on");
            Introspector in = new Introspector(db, options.filter());
            version = in.version();
            tables = in.tables();
            report.source(version.text(), in.databaseBytes(), tables.size());
            out.accept("backup-test: PostgreSQL " + version + ", " + Durations.bytes(in.databaseBytes()) + ", " + tables.size()
                    + (tables.size() == 1 ? " table" : " tables"));
            List<CheckResult> checks = new KeyTables(keyTables, options.filter()).check(db, tables);
            checks.forEach(c -> out.accept("backup-test:" + c.line().substring(1)));
            report.keyTables(checks);
        } catch (DbConnectException e) {
            return failed(report, e.exitCode(), "source " + e.getMessage());
        } catch (DbException e) {
            return failed(report, ExitCode.FAILED, "cannot read the source: " + e.getMessage());
        }
        CheckResult missing = report.firstFailedKeyTable();
        if (missing != null) {
            return failed(report, missing.failure(), missing.name() + ": " + missing.message() + "; nothing was dumped");
        }

        OptionalInt dumpMajor = options.tools().major(options.tools().pgDump());
        if (dumpMajor.isEmpty()) {
            return failed(report, ExitCode.TOOLS, "pg_dump not found in " + options.tools()
                    + ": install postgresql-client-" + version.major() + " or set PGRELOCATE_PG_BIN");
        }
        if (dumpMajor.getAsInt() < version.major()) {
            return failed(report, ExitCode.TOOLS, "pg_dump " + dumpMajor.getAsInt()
                    + " is older than the source's PostgreSQL " + version.major() + ": set PGRELOCATE_PG_BIN to a newer one");
        }

        if (!toVolume()) {
            out.accept("backup-test: " + options.workDir() + " does not exist (no volume mounted): the dump is counted and discarded");
        }
        Instant t0 = clock.instant();
        long bytes;
        try {
            DumpRestore dump = new DumpRestore(options, out, clock);
            bytes = toVolume() ? dump.dumpOnly(source, tables, dumpDir()) : dump.dumpToStream(source, tables, OutputStream.nullOutputStream());
        } catch (EngineException e) {
            return failed(report, e.exitCode(), e.getMessage());
        }
        Duration took = Duration.between(t0, clock.instant());
        long perSecond = bytes * 1000 / Math.max(1, took.toMillis());
        out.accept("backup-test: dump done, " + Durations.bytes(bytes) + " in " + Durations.human(took)
                + " (" + Durations.bytes(perSecond) + "/s)" + (toVolume() ? "; removing it" : ""));
        if (toVolume()) {
            Directories.deleteRecursively(dumpDir());
        }
        return report.dumped(took, bytes, perSecond).finish(clock.instant(), ExitCode.OK, null);
    }

    private BackupTestReport failed(BackupTestReport.Builder report, ExitCode code, String error) {
        out.accept("backup-test: FAILED " + error);
        return report.dumpKept(Files.exists(dumpDir())).finish(clock.instant(), code, error);
    }
}
