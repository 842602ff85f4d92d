package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.files.RunDirectory;
import io.pgrelocate.engine.postgres.Db;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The pg_dump/pg_restore toolkit that the dump strategy ({@link DumpCopy}), the stream strategy's
 * schema, logical's schema halves and the backup test share: dumps (directory, custom format to a
 * stream, schema only), tables of contents, restores, with progress, inside this run's private
 * directory in the work directory ({@link RunDirectory}). Passwords reach both tools through a 0600
 * pgpass file there, removed afterwards.
 */
public final class DumpRestore {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration SERVER_PROGRESS_EVERY = Duration.ofSeconds(2);

    private final CopyOptions options;
    private final Consumer<String> out;
    private final Clock clock;

    public DumpRestore(CopyOptions options, Consumer<String> out, Clock clock) {
        this.options = options;
        this.out = out;
        this.clock = clock;
    }

    /** Only the dump step, into {@code dir} (replacing an earlier dump there); returns its size in bytes. */
    public long dumpOnly(ConnectionSpec source, List<TableInfo> tables, Path dir) {
        try (RunDirectory run = RunDirectory.create(options.workDir())) {
            return withPgpass(run.path(), List.of(source), pgpass -> dump(source, pgpass, tables, dir, null));
        }
    }

    /**
     * Only the dump, in pg_dump's custom format to its stdout and from there into {@code sink},
     * where there is no volume to hold it; returns its size in bytes. One process (-Fc cannot run
     * in parallel). The pgpass file goes to a private directory in the system's temporary directory.
     */
    public long dumpToStream(ConnectionSpec source, List<TableInfo> tables, OutputStream sink) {
        try (RunDirectory run = RunDirectory.create(Path.of(System.getProperty("java.io.tmpdir")))) {
            return withPgpass(run.path(), List.of(source), pgpass -> {
                ByteCounter counted = new ByteCounter(sink);
                List<String> cmd = dumpCommand("--format=custom");
                out.accept("dump: " + String.join(" ", cmd) + " (to a stream, not kept)");
                ToolRunner runner = runnerFor(source, pgpass);
                runWithProgress(source, "dump", tables, true, "pg_dump failed; the source is unchanged",
                        lines -> runner.run(cmd, lines, counted));
                return counted.count();
            });
        }
    }

    /**
     * The schema alone, for copies that move the rows by other means: {@code pg_dump --schema-only}
     * in the custom format into {@code file}, from {@code snapshot} when given (null: a fresh one).
     */
    public void dumpSchema(ConnectionSpec source, Path file, String snapshot) {
        try (RunDirectory run = RunDirectory.create(options.workDir())) {
            withPgpass(run.path(), List.of(source), pgpass -> {
                List<String> cmd = dumpCommand("--format=custom", "--schema-only", "--file=" + file);
                if (snapshot != null) {
                    cmd.add("--snapshot=" + snapshot);
                }
                out.accept("schema: " + String.join(" ", cmd));
                runWithProgress(source, pgpass, cmd, "schema dump", List.of(), "pg_dump --schema-only failed; the source is unchanged");
                return null;
            });
        }
    }

    /**
     * The table-of-contents lines of one {@code section} ("pre-data", "post-data") of the dump in
     * {@code dump}, in restore order, the excluded extensions left out.
     */
    public List<String> tableOfContents(Path dump, String section) {
        try {
            return RestoreList.filter(toc(new ToolRunner(Map.of(), dump.getParent()), dump, "--section=" + section), options.filter());
        } catch (IOException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "work directory " + dump.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** pg_restore of exactly the {@code entries} (table-of-contents lines) of {@code dump}, in their order. */
    public void restoreEntries(ConnectionSpec target, Path dump, List<String> entries, String phase) {
        try (RunDirectory run = RunDirectory.create(options.workDir())) {
            withPgpass(run.path(), List.of(target), pgpass -> {
                Path list = run.path().resolve(phase.replace(' ', '-') + ".list");
                Files.write(list, entries);
                restore(target, runnerFor(target, pgpass), dump, list, List.of(), phase, options.jobs());
                return null;
            });
        }
    }

    @FunctionalInterface
    interface PgpassWork<T> {
        T run(Path pgpass) throws IOException;
    }

    /** Runs {@code work} with a 0600 pgpass file for {@code specs} in the run's {@code dir}, removed afterwards. */
    static <T> T withPgpass(Path dir, List<ConnectionSpec> specs, PgpassWork<T> work) {
        Path pgpass = dir.resolve(".pgpass-pgrelocate");
        try {
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

    long dump(ConnectionSpec source, Path pgpass, List<TableInfo> tables, Path dir, String snapshot) throws IOException {
        deleteOldDump(dir);
        List<String> cmd = dumpDirectoryCommand(dir, snapshot);
        out.accept("dump: " + String.join(" ", cmd));
        runWithProgress(source, pgpass, cmd, "dump", tables, "pg_dump failed; the source is unchanged");
        return Directories.sizeOf(dir);
    }

    List<String> dumpDirectoryCommand(Path dir, String snapshot) {
        List<String> cmd = dumpCommand("--format=directory", "--jobs=" + options.jobs(), "--file=" + dir);
        if (snapshot != null) {
            cmd.add("--snapshot=" + snapshot);
        }
        return cmd;
    }

    /** pg_dump with {@code output} options, then what every dump shares: compression, large objects, exclusions. */
    List<String> dumpCommand(String... output) {
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgDump()));
        cmd.addAll(List.of(output));
        cmd.addAll(List.of("--compress=" + options.compressLevel(), "--blobs", "--no-sync", "--verbose"));
        options.filter().excludedSchemas().stream().sorted().forEach(s -> cmd.add("--exclude-schema=" + s));
        return cmd;
    }

    /** The filtered table of contents of {@code dump}, passed through {@code also}, written beside the dump. */
    Path restoreList(ToolRunner runner, Path dump, UnaryOperator<List<String>> also) throws IOException {
        Path filtered = dump.resolveSibling("restore.list");
        Files.write(filtered, also.apply(RestoreList.filter(toc(runner, dump), options.filter())));
        return filtered;
    }

    /** {@code pg_restore --list} of {@code dump}, narrowed by {@code selection} (e.g. --section=pre-data). */
    private List<String> toc(ToolRunner runner, Path dump, String... selection) throws IOException {
        Path full = dump.resolveSibling("toc.list");
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgRestore(), "--list", "--file=" + full));
        cmd.addAll(List.of(selection));
        cmd.add(dump.toString());
        ToolResult listed = runner.run(cmd);
        if (!listed.ok()) {
            throw new EngineException(ExitCode.COPY_FAILED, "cannot read the dump's table of contents: " + listed.summary());
        }
        return Files.readAllLines(full, StandardCharsets.UTF_8);
    }

    void restore(ConnectionSpec target, Path pgpass, Path list, Path dumpDir, List<TableInfo> tables) {
        restore(target, runnerFor(target, pgpass), dumpDir, list, tables, "restore", options.jobs());
    }

    /** pg_restore of {@code dump} through {@code list} into {@code target}; {@code extra} options such as --section come before the dump. */
    void restore(ConnectionSpec target, ToolRunner runner, Path dump, Path list, List<TableInfo> tables, String phase, int jobs,
                 String... extra) {
        List<String> cmd = restoreCommand(list, dump, target.database(), jobs, extra);
        out.accept(phase + ": " + String.join(" ", cmd));
        runWithProgress(target, phase, tables, jobs == 1, partlyRestored(target), lines -> runner.run(cmd, lines));
    }

    /** Runs a tool whose output names no table (a schema-only dump) against {@code server}; exit 11 with {@code failure}. */
    void runTool(ConnectionSpec server, ToolRunner runner, List<String> cmd, String phase, String failure) {
        runWithProgress(server, phase, List.of(), true, failure, lines -> runner.run(cmd, lines));
    }

    private static String partlyRestored(ConnectionSpec target) {
        return "pg_restore failed; the source is unchanged, the target database is partly restored: drop and recreate it before retrying ("
                + resetCommands(target) + ")";
    }

    /** What resets a partly restored target, to paste: connected to another database of its server. */
    static String resetCommands(ConnectionSpec target) {
        String db = Db.quoteIdent(target.database());
        return "psql -h " + target.host() + " -p " + target.port() + " -U " + target.user() + " -d postgres -c 'DROP DATABASE "
                + db.replace("'", "'\\''") + " WITH (FORCE)' -c 'CREATE DATABASE " + db.replace("'", "'\\''") + "'";
    }

    List<String> restoreCommand(Path list, Path dumpDir, String database, int jobs, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(options.tools().pgRestore(), "--dbname=" + database,
                "--jobs=" + jobs, "--use-list=" + list, "--exit-on-error", "--verbose"));
        cmd.addAll(List.of(extra));
        if (!options.keepOwnership()) {
            cmd.addAll(List.of("--no-owner", "--no-acl"));
        }
        cmd.add(dumpDir.toString());
        return cmd;
    }

    private void runWithProgress(ConnectionSpec server, Path pgpass, List<String> cmd, String phase, List<TableInfo> tables, String failure) {
        ToolRunner runner = runnerFor(server, pgpass);
        runWithProgress(server, phase, tables, options.jobs() == 1, failure, lines -> runner.run(cmd, lines));
    }

    /** Runs a tool that copies table data, with progress from its output and from {@code server}'s COPY progress. */
    private void runWithProgress(ConnectionSpec server, String phase, List<TableInfo> tables, boolean serial, String failure,
                                 Function<Consumer<String>, ToolResult> run) {
        TableProgress progress = new TableProgress(phase, tables, serial, clock);
        ToolResult result;
        try (AutoCloseable ticker = progress.reportEvery(PROGRESS_EVERY, out);
             ServerCopyProgress inTables = ServerCopyProgress.start(server, progress, SERVER_PROGRESS_EVERY)) {
            result = run.apply(progress::accept);
        } catch (EngineException e) {
            throw e.exitCode() == ExitCode.INTERRUPTED
                    ? new EngineException(ExitCode.INTERRUPTED, "interrupted during the " + phase + "; " + failure, e) : e;
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
