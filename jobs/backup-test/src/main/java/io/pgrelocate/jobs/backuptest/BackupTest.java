package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.Durations;
import io.pgrelocate.engine.copy.TableProgress;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.ServerVersion;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.process.ToolResult;
import io.pgrelocate.engine.process.ToolRunner;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PgpassFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One trial dump of the source: the same {@code pg_dump -Fd -j N} the migration runs, into
 * {@code <work-dir>/backup-test}, timed. The dump is removed afterwards so it does not take the
 * room the real migration's dump needs. The password reaches pg_dump through a 0600 pgpass file.
 */
public final class BackupTest {
    static final String DIR_NAME = "backup-test";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

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
            ExitCode code = switch (e.reason()) {
                case AUTHENTICATION -> ExitCode.AUTHENTICATION;
                case NO_DATABASE -> ExitCode.BAD_SETTINGS;
                default -> ExitCode.UNREACHABLE;
            };
            return failed(started, null, null, 0, code, "source " + e.getMessage());
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
        Path pgpass = options.workDir().resolve(".pgpass-backup-test");
        try {
            Files.createDirectories(options.workDir());
            removeEarlierDump(dir);
            PgpassFile.write(pgpass, List.of(source));
            Instant t0 = clock.instant();
            ToolResult result = dump(dir, pgpass, tables);
            Duration took = Duration.between(t0, clock.instant());
            if (!result.ok()) {
                return failed(started, version, dbBytes, tables.size(), result.exitCode() == 127 ? ExitCode.TOOLS : ExitCode.COPY_FAILED,
                        "pg_dump failed; the source is unchanged — " + result.summary());
            }
            long bytes = sizeOf(dir);
            long perSecond = bytes * 1000 / Math.max(1, took.toMillis());
            out.accept("backup-test: dump done, " + Durations.bytes(bytes) + " in " + Durations.human(took)
                    + " (" + Durations.bytes(perSecond) + "/s); removing it");
            deleteRecursively(dir);
            return new BackupTestReport("backup-test", source.display(), version.text(), dbBytes, tables.size(), options.jobs(),
                    options.tools().pgDump(), dir.toString(), started, clock.instant(), took, bytes, perSecond, false,
                    BackupTestReport.resultOf(ExitCode.OK), ExitCode.OK.code(), null);
        } catch (IOException | UncheckedIOException e) {
            return failed(started, version, dbBytes, tables.size(), ExitCode.COPY_FAILED,
                    "work directory " + options.workDir() + ": " + e.getMessage());
        } catch (RefusedException e) {
            return failed(started, version, dbBytes, tables.size(), ExitCode.BAD_SETTINGS, e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(pgpass);
            } catch (IOException ignored) {
                // 0600 in our own work directory; nothing more to do
            }
        }
    }

    private ToolResult dump(Path dir, Path pgpass, List<TableInfo> tables) throws IOException {
        Map<String, String> env = new HashMap<>(source.libpqEnvironment());
        env.put("PGPASSFILE", pgpass.toString());
        env.put("PGAPPNAME", Db.APPLICATION_NAME + "-backup-test");
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgDump(), "--format=directory",
                "--jobs=" + options.jobs(), "--file=" + dir, "--compress=" + options.compressLevel(),
                "--blobs", "--no-sync", "--verbose"));
        options.filter().excludedSchemas().stream().sorted().forEach(s -> cmd.add("--exclude-schema=" + s));
        out.accept("backup-test: " + String.join(" ", cmd));
        TableProgress progress = new TableProgress("dump", tables, options.jobs() == 1, clock);
        try (AutoCloseable ticker = progress.reportEvery(PROGRESS_EVERY, out)) {
            return new ToolRunner(env, options.workDir()).run(cmd, progress::accept);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("dump interrupted: " + e.getMessage(), e);
        }
    }

    private BackupTestReport failed(Instant started, ServerVersion version, Long dbBytes, int tables, ExitCode code, String error) {
        out.accept("backup-test: FAILED " + error);
        return new BackupTestReport("backup-test", source.display(), version == null ? null : version.text(), dbBytes, tables,
                options.jobs(), options.tools().pgDump(), dumpDir().toString(), started, clock.instant(), null, null, null,
                Files.exists(dumpDir()), BackupTestReport.resultOf(code), code.code(), error);
    }

    private void removeEarlierDump(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve("toc.dat"))) {
                throw new RefusedException(dir + " exists and is not a pg_dump directory; remove it or choose another PGRELOCATE_WORK_DIR");
            }
            out.accept("backup-test: removing the dump left by an earlier run in " + dir);
            deleteRecursively(dir);
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }
}
