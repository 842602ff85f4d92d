package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpRestore;
import io.pgrelocate.engine.copy.Durations;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.ServerVersion;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One trial dump of the source: the same {@code pg_dump -Fd -j N} the migration runs, into
 * {@code <work-dir>/backup-test}, timed. The dump is removed afterwards so it does not take the
 * room the real migration's dump needs. The dump itself is the engine's ({@link DumpRestore#dumpOnly}).
 */
public final class BackupTest {
    static final String DIR_NAME = "backup-test";

    private final ConnectionSpec source;
    private final CopyOptions options;
    private final Consumer<String> out;
    private final Clock clock;

    public BackupTest(ConnectionSpec source, CopyOptions options, Consumer<String> out, Clock clock) {
        this.source = source;
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    public Path dumpDir() {
        return options.workDir().resolve(DIR_NAME);
    }

    public BackupTestReport run() {
        Instant started = clock.instant();
        out.accept("backup-test: connecting to " + source.display());
        ServerVersion version;
        long dbBytes;
        List<TableInfo> tables;
        try (Db db = Db.connect(source)) {
            db.execute("SET default_transaction_read_only = on");
            Introspector in = new Introspector(db, options.filter());
            version = in.version();
            dbBytes = in.databaseBytes();
            tables = in.tables();
        } catch (DbConnectException e) {
            return failed(started, null, null, 0, e.exitCode(), "source " + e.getMessage());
        } catch (DbException e) {
            return failed(started, null, null, 0, ExitCode.FAILED, "cannot read the source: " + e.getMessage());
        }
        out.accept("backup-test: PostgreSQL " + version + ", " + Durations.bytes(dbBytes) + ", " + tables.size()
                + (tables.size() == 1 ? " table" : " tables"));

        OptionalInt dumpMajor = options.tools().major(options.tools().pgDump());
        if (dumpMajor.isEmpty()) {
            return failed(started, version, dbBytes, tables.size(), ExitCode.TOOLS, "pg_dump not found in " + options.tools()
                    + ": install postgresql-client-" + version.major() + " or set PGRELOCATE_PG_BIN");
        }
        if (dumpMajor.getAsInt() < version.major()) {
            return failed(started, version, dbBytes, tables.size(), ExitCode.TOOLS, "pg_dump " + dumpMajor.getAsInt()
                    + " is older than the source's PostgreSQL " + version.major() + ": set PGRELOCATE_PG_BIN to a newer one");
        }

        Path dir = dumpDir();
        Instant t0 = clock.instant();
        long bytes;
        try {
            bytes = new DumpRestore(options, out, clock).dumpOnly(source, tables, dir);
        } catch (EngineException e) {
            return failed(started, version, dbBytes, tables.size(), e.exitCode(), e.getMessage());
        }
        Duration took = Duration.between(t0, clock.instant());
        long perSecond = bytes * 1000 / Math.max(1, took.toMillis());
        out.accept("backup-test: dump done, " + Durations.bytes(bytes) + " in " + Durations.human(took)
                + " (" + Durations.bytes(perSecond) + "/s); removing it");
        Directories.deleteRecursively(dir);
        return new BackupTestReport("backup-test", source.display(), version.text(), dbBytes, tables.size(), options.jobs(),
                options.tools().pgDump(), dir.toString(), started, clock.instant(), took, bytes, perSecond, false,
                BackupTestReport.resultOf(ExitCode.OK), ExitCode.OK.code(), null);
    }

    private BackupTestReport failed(Instant started, ServerVersion version, Long dbBytes, int tables, ExitCode code, String error) {
        out.accept("backup-test: FAILED " + error);
        return new BackupTestReport("backup-test", source.display(), version == null ? null : version.text(), dbBytes, tables,
                options.jobs(), options.tools().pgDump(), dumpDir().toString(), started, clock.instant(), null, null, null,
                Files.exists(dumpDir()), BackupTestReport.resultOf(code), code.code(), error);
    }
}
