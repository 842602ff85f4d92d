package io.pgrelocate.engine.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test classpath in a JVM of its own (the password on stdin, never on its command
 * line), and kills it with SIGKILL (no shutdown hook, no finally block runs) at the first output line
 * starting with {@code marker}. Returns the lines it printed up to then.
 */
public final class KilledChild {
    private KilledChild() {
    }

    public static List<String> runUntil(Class<?> main, String marker, String password, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (Writer stdin = child.outputWriter(StandardCharsets.UTF_8)) {
            stdin.write(password + "\n");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                lines.add(line);
                if (line.startsWith(marker)) {
                    child.destroyForcibly();
                    break;
                }
            }
        }
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(main.getSimpleName() + " did not end after SIGKILL");
        }
        return lines;
    }
}
