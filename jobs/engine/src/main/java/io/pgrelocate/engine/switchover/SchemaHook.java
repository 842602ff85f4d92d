package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PgpassFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The applications' own schema migration, blue/green style: a command (e.g. {@code kratos migrate sql
 * -e --yes}) run in the window against the target after the copy was verified and before the
 * applications come back on it. Split at spaces and run without a shell. It reaches the target
 * through the libpq environment ({@code PGHOST}, {@code PGDATABASE}, …) and a pgpass file that is
 * removed afterwards: no password in its environment, and none of pgrelocate's own settings either.
 * Its output is followed line by line; a failure ends the window with the applications on the source.
 */
public final class SchemaHook {
    private static final int LAST_LINES = 5;

    private final List<String> command;
    private final Path workDir;
    private final Consumer<String> out;

    public SchemaHook(String command, Path workDir, Consumer<String> out) {
        this.command = Arrays.stream(command.strip().split("\\s+")).toList();
        this.workDir = workDir;
        this.out = out;
    }

    public String describe() {
        return String.join(" ", command);
    }

    public void run(ConnectionSpec target) {
        Path pgpass = workDir.resolve(".pgpass-hook");
        Deque<String> last = new ArrayDeque<>();
        int exit;
        try {
            Files.createDirectories(workDir);
            PgpassFile.write(pgpass, List.of(target));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
            pb.environment().putAll(target.libpqEnvironment());
            pb.environment().put("PGPASSFILE", pgpass.toString());
            pb.environment().put("PGAPPNAME", Db.APPLICATION_NAME + "-hook");
            out.accept("hook: running " + describe() + " against " + target.display());
            Process p = pb.start();
            p.getOutputStream().close();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.accept("hook: " + line);
                    last.addLast(line);
                    if (last.size() > LAST_LINES) {
                        last.removeFirst();
                    }
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            throw failed("cannot run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.INTERRUPTED, "interrupted during the schema-migration hook");
        } finally {
            try {
                Files.deleteIfExists(pgpass);
            } catch (IOException ignored) {
                // 0600 in the work directory; nothing more to do
            }
        }
        Interruption.checkpoint("the schema-migration hook");
        if (exit != 0) {
            throw failed("exit " + exit + (last.isEmpty() ? "" : ": " + String.join(" | ", last)));
        }
        out.accept("hook: " + describe() + " succeeded");
    }

    private EngineException failed(String why) {
        return new EngineException(ExitCode.HOOK_FAILED, "the schema-migration hook " + describe() + " failed (" + why
                + "); the applications stay on the source; the target holds the copy and what the hook did: empty it before retrying");
    }
}
