package io.pgrelocate.engine.process;

import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs an external program with an argument array (never a shell). Secrets travel only in the
 * child's environment or in files it is pointed at, so the logged command line is safe to show.
 */
public final class ToolRunner {
    private static final Logger LOG = Logger.getLogger(ToolRunner.class);

    private final Map<String, String> environment;
    private final Path workingDirectory;

    public ToolRunner(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    public ToolRunner() {
        this(Map.of(), null);
    }

    /** Runs to completion; every stderr (and stdout) line also goes to {@code lineListener}. */
    public ToolResult run(List<String> command, Consumer<String> lineListener) {
        String tool = Path.of(command.get(0)).getFileName().toString();
        LOG.debugf("running %s", String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        StderrSummary summary = new StderrSummary();
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    summary.accept(line);
                    lineListener.accept(line);
                }
            }
            return new ToolResult(tool, process.waitFor(), summary.lines());
        } catch (IOException e) {
            return new ToolResult(tool, ToolResult.CANNOT_START, List.of("cannot start " + command.get(0) + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolResult(tool, 130, List.of("interrupted"));
        }
    }

    public ToolResult run(List<String> command) {
        return run(command, line -> { });
    }

    /** Runs and returns stdout+stderr as text; for short tools such as {@code pg_dump --version}. */
    public String output(List<String> command) {
        List<String> lines = new ArrayList<>();
        ToolResult result = run(command, lines::add);
        if (!result.ok()) {
            throw new ToolException(result);
        }
        return String.join("\n", lines);
    }
}
