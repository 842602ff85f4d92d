package io.pgrelocate.engine.process;

import io.pgrelocate.engine.stop.RunningTools;
import io.pgrelocate.engine.stop.Interruption;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

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
        return run(command, true, lineListener, process -> { });
    }

    /**
     * Runs to completion with stdout copied, as bytes, to {@code stdout} (say a dump that is not
     * kept); stderr lines go to {@code stderrListener} and make up the summary.
     */
    public ToolResult run(List<String> command, Consumer<String> stderrListener, OutputStream stdout) {
        return run(command, false, stderrListener, process -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(stdout);
            }
        });
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

    @FunctionalInterface
    private interface StdoutReader {
        void read(Process process) throws IOException;
    }

    private ToolResult run(List<String> command, boolean mergeStdout, Consumer<String> lineListener, StdoutReader stdout) {
        String tool = Path.of(command.get(0)).getFileName().toString();
        LOG.debugf("running %s", String.join(" ", command));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(mergeStdout);
        ChildEnvironment.scrub(pb.environment());
        pb.environment().putAll(environment);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        StderrSummary summary = new StderrSummary();
        Process process;
        try {
            Interruption.checkpoint(tool);
            process = pb.start();
            RunningTools.started(process);
            process.getOutputStream().close();
        } catch (IOException e) {
            return new ToolResult(tool, ToolResult.CANNOT_START, List.of("cannot start " + command.get(0) + ": " + e.getMessage()));
        }
        // The text output is read on its own thread so that neither pipe can fill up and stall the tool.
        Thread text = new Thread(() -> readLines(mergeStdout ? process.getInputStream() : process.getErrorStream(), line -> {
            summary.accept(line);
            lineListener.accept(line);
        }), tool + "-output");
        text.setDaemon(true);
        text.start();
        try {
            stdout.read(process);
            int exit = process.waitFor();
            text.join();
            // A tool that ended because the run was stopped failed for that reason, not its own.
            Interruption.checkpoint(tool);
            return new ToolResult(tool, exit, summary.lines());
        } catch (IOException e) {
            Interruption.checkpoint(tool);
            return new ToolResult(tool, 1, List.of("reading the output of " + tool + " failed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Interruption.checkpoint(tool);
            Thread.currentThread().interrupt();
            return new ToolResult(tool, 130, List.of("interrupted"));
        } finally {
            if (process.isAlive()) {
                RunningTools.stopTree(process, STOP_GRACE);
            }
            if (Interruption.requested()) {
                RunningTools.awaitStopAll(STOP_GRACE.multipliedBy(2));
            }
            RunningTools.ended(process);
        }
    }

    private static void readLines(InputStream stream, Consumer<String> listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                listener.accept(line);
            }
        } catch (IOException e) {
            listener.accept("cannot read the tool's output: " + e.getMessage());
        }
    }
}
