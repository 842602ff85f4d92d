package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.process.ToolResult;
import io.pgrelocate.engine.process.ToolRunner;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PgpassFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The "dump" strategy: {@code pg_dump -Fd -j N} into the work directory, then
 * {@code pg_restore -j N} from a filtered table of contents. Passwords reach both tools through a
 * 0600 pgpass file in the work directory, removed afterwards.
 */
public final class DumpRestore implements CopyStrategy {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final CopyOptions options;
    private final Consumer<String> out;
    private final Clock clock;

    public DumpRestore(CopyOptions options, Consumer<String> out, Clock clock) {
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    public CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles) {
        return copy(source, target, tables, roles, null);
    }

    @Override
    public CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles, String snapshot) {
        return withPgpass(options.workDir(), List.of(source, target), pgpass -> {
            Instant t0 = clock.instant();
            long dumpBytes = dump(runnerFor(source, pgpass), tables, options.dumpDir(), snapshot);
            Instant t1 = clock.instant();
            out.accept("dump: done, " + Durations.bytes(dumpBytes) + " in " + Durations.human(Duration.between(t0, t1)));

            List<String> created = RoleCopier.createMissingIfKept(options.keepOwnership(), target, roles, out);
            Path list = restoreList(runnerFor(target, pgpass));
            restore(runnerFor(target, pgpass), list, target.database(), tables);
            Instant t2 = clock.instant();
            out.accept("restore: done in " + Durations.human(Duration.between(t1, t2)));

            if (options.analyze()) {
                out.accept("analyze: collecting planner statistics on the target");
                try (Db db = Db.connect(target)) {
                    db.execute("ANALYZE");
                }
            }
            Instant t3 = clock.instant();
            Directories.deleteRecursively(options.dumpDir());
            return new CopyResult("dump", options.jobs(), Duration.between(t0, t1), Duration.between(t1, t2),
                    Duration.between(t2, t3), dumpBytes, created, options.filter().excludedExtensions().stream().sorted().toList());
        });
    }

    /** Only the dump step, into {@code dir} (replacing an earlier dump there); returns its size in bytes. */
    public long dumpOnly(ConnectionSpec source, List<TableInfo> tables, Path dir) {
        return withPgpass(options.workDir(), List.of(source), pgpass -> dump(runnerFor(source, pgpass), tables, dir, null));
    }

    /**
     * Only the dump, in pg_dump's custom format to its stdout and from there into {@code sink},
     * where there is no volume to hold it; returns its size in bytes. One process (-Fc cannot run
     * in parallel). The pgpass file goes to a private temporary directory, not the work directory.
     */
    public long dumpToStream(ConnectionSpec source, List<TableInfo> tables, OutputStream sink) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("pgrelocate-");  // 0700
        } catch (IOException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "cannot create a temporary directory for the pgpass file: " + e.getMessage(), e);
        }
        try {
            return withPgpass(tmp, List.of(source), pgpass -> {
                ByteCounter counted = new ByteCounter(sink);
                List<String> cmd = dumpCommand("--format=custom");
                out.accept("dump: " + String.join(" ", cmd) + " (to a stream, not kept)");
                ToolRunner runner = runnerFor(source, pgpass);
                runWithProgress("dump", tables, true, "pg_dump failed; the source is unchanged",
                        lines -> runner.run(cmd, lines, counted));
                return counted.count();
            });
        } finally {
            Directories.deleteRecursively(tmp);
        }
    }

    @FunctionalInterface
    interface PgpassWork<T> {
        T run(Path pgpass) throws IOException;
    }

    /** Runs {@code work} with a 0600 pgpass file for {@code specs} in {@code dir}, removed afterwards. */
    static <T> T withPgpass(Path dir, List<ConnectionSpec> specs, PgpassWork<T> work) {
        Path pgpass = dir.resolve(".pgpass-pgrelocate");
        try {
            Files.createDirectories(dir);
            PgpassFile.write(pgpass, specs);
            return work.run(pgpass);
        } catch (IOException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "work directory " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(pgpass);
            } catch (IOException ignored) {
                // the file is 0600 in our own work directory; nothing more to do
            }
        }
    }

    static ToolRunner runnerFor(ConnectionSpec spec, Path pgpass) {
        Map<String, String> env = new HashMap<>(spec.libpqEnvironment());
        env.put("PGPASSFILE", pgpass.toString());
        env.put("PGAPPNAME", Db.APPLICATION_NAME);
        return new ToolRunner(env, pgpass.getParent());
    }

    private long dump(ToolRunner runner, List<TableInfo> tables, Path dir, String snapshot) throws IOException {
        deleteOldDump(dir);
        List<String> cmd = dumpCommand("--format=directory", "--jobs=" + options.jobs(), "--file=" + dir);
        if (snapshot != null) {
            cmd.add("--snapshot=" + snapshot);
        }
        out.accept("dump: " + String.join(" ", cmd));
        runWithProgress(runner, cmd, "dump", tables, "pg_dump failed; the source is unchanged");
        return Directories.sizeOf(dir);
    }

    /** pg_dump with {@code output} options, then what every dump shares: compression, large objects, exclusions. */
    List<String> dumpCommand(String... output) {
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgDump()));
        cmd.addAll(List.of(output));
        cmd.addAll(List.of("--compress=" + options.compressLevel(), "--blobs", "--no-sync", "--verbose"));
        options.filter().excludedSchemas().stream().sorted().forEach(s -> cmd.add("--exclude-schema=" + s));
        return cmd;
    }

    /** Writes the filtered table of contents that pg_restore --use-list reads. */
    private Path restoreList(ToolRunner runner) throws IOException {
        return restoreList(runner, options.dumpDir(), lines -> lines);
    }

    /** The filtered table of contents of {@code dump}, passed through {@code also} before it is written. */
    Path restoreList(ToolRunner runner, Path dump, UnaryOperator<List<String>> also) throws IOException {
        Path full = options.workDir().resolve("toc.list");
        ToolResult listed = runner.run(List.of(options.tools().pgRestore(), "--list", "--file=" + full, dump.toString()));
        if (!listed.ok()) {
            throw new EngineException(ExitCode.COPY_FAILED, "cannot read the dump's table of contents: " + listed.summary());
        }
        Path filtered = options.workDir().resolve("restore.list");
        Files.write(filtered, also.apply(RestoreList.filter(Files.readAllLines(full, StandardCharsets.UTF_8), options.filter())));
        return filtered;
    }

    private void restore(ToolRunner runner, Path list, String database, List<TableInfo> tables) {
        restore(runner, options.dumpDir(), list, database, tables, "restore", options.jobs());
    }

    /** pg_restore of {@code dump} through {@code list}; {@code extra} options such as --section come before the dump. */
    void restore(ToolRunner runner, Path dump, Path list, String database, List<TableInfo> tables, String phase, int jobs, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgRestore(), "--dbname=" + database,
                "--jobs=" + jobs, "--use-list=" + list, "--exit-on-error", "--verbose"));
        if (!options.keepOwnership()) {
            cmd.addAll(List.of("--no-owner", "--no-acl"));
        }
        cmd.addAll(List.of(extra));
        cmd.add(dump.toString());
        out.accept(phase + ": " + String.join(" ", cmd));
        runWithProgress(runner, cmd, phase, tables,
                "pg_restore failed; the source is unchanged, the target database is partly restored: drop and recreate it before retrying");
    }

    /** Runs a tool whose output names no table (a schema-only dump); exit 11 with {@code failure} and its error. */
    void runTool(ToolRunner runner, List<String> cmd, String phase, String failure) {
        runWithProgress(runner, cmd, phase, List.of(), failure);
    }

    private void runWithProgress(ToolRunner runner, List<String> cmd, String phase, List<TableInfo> tables, String failure) {
        runWithProgress(phase, tables, options.jobs() == 1, failure, lines -> runner.run(cmd, lines));
    }

    private void runWithProgress(String phase, List<TableInfo> tables, boolean serial, String failure,
                                 Function<Consumer<String>, ToolResult> run) {
        TableProgress progress = new TableProgress(phase, tables, serial, clock);
        ToolResult result;
        try (AutoCloseable ticker = progress.reportEvery(PROGRESS_EVERY, out)) {
            result = run.apply(progress::accept);
        } catch (Exception e) {
            throw new EngineException(ExitCode.COPY_FAILED, phase + " interrupted: " + e.getMessage(), e);
        }
        if (!result.ok()) {
            ExitCode code = result.exitCode() == ToolResult.CANNOT_START ? ExitCode.TOOLS : ExitCode.COPY_FAILED;
            throw new EngineException(code, failure + " — " + result.summary());
        }
    }

    private void deleteOldDump(Path dir) {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve("toc.dat"))) {
                throw new EngineException(ExitCode.BAD_SETTINGS, dir + " exists and is not a pg_dump directory; remove it or choose another work directory");
            }
            out.accept("dump: removing the dump left by an earlier run in " + dir);
            Directories.deleteRecursively(dir);
        }
    }
}
