package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.stop.StopSignals;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.HtmlReport;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How every Job ends, so {@code kubectl logs} reads the same for all of them: timestamped progress
 * lines, the human summary, the JSON report between two marker lines (and in a file if asked), and
 * the exit code that classifies the result. Bad settings end the job before anything is touched
 * with one line {@code error: ...} and exit code 2.
 */
public final class JobRun {
    public static final String REPORT_BEGIN = io.pgrelocate.engine.report.ReportMarkers.BEGIN;
    public static final String REPORT_END = io.pgrelocate.engine.report.ReportMarkers.END;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;
    private final Clock clock;

    public JobRun(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public static JobRun toStdout() {
        return new JobRun(System.out, Clock.systemDefaultZone());
    }

    public Clock clock() {
        return clock;
    }

    /** Prints one progress line with the time of day. */
    public void progress(String line) {
        out.println(TIME.format(clock.instant().atZone(clock.getZone())) + " " + line);
        out.flush();
    }

    /** Builds the engine settings, runs one step of the source engine's {@link Runbook}, reports it. */
    public int migration(JobSettings settings, JobSettingsAdapter adapter, Function<Runbook, MigrationReport> step) {
        return migration(settings, adapter, ms -> ms, step);
    }

    /** The same, a PostgreSQL source's settings completed by {@code complete} (e.g. the applications' logins read from their workloads). */
    public int migration(JobSettings settings, JobSettingsAdapter adapter, java.util.function.UnaryOperator<MigrationSettings> complete,
                         Function<Runbook, MigrationReport> step) {
        return run(settings.reportFile(), settings.reportHtmlFile(), () -> Outcome.of(step.apply(Runbook.of(settings.source().uri().orElse(null),
                () -> complete.apply(adapter.migrationSettings(settings)), () -> adapter.mysqlSettings(settings), this::progress, clock))));
    }

    /**
     * Runs a step and reports its outcome; returns the exit code for the process. A SIGTERM (the
     * pod deleted) during the step ends it through its failure path, with exit code 19.
     */
    public int run(Optional<Path> reportFile, Supplier<Outcome> step) {
        return run(reportFile, Optional.empty(), step);
    }

    /** The same, also writing the report as one HTML file for a change ticket when {@code htmlFile} is given. */
    public int run(Optional<Path> reportFile, Optional<Path> htmlFile, Supplier<Outcome> step) {
        return StopSignals.guard(StopSignals.DEFAULT_GRACE, out, () -> runStep(reportFile, htmlFile, step));
    }

    private int runStep(Optional<Path> reportFile, Optional<Path> htmlFile, Supplier<Outcome> step) {
        Outcome outcome;
        try {
            reportFile.ifPresent(ReportWriter::checkWritable);
            htmlFile.ifPresent(ReportWriter::checkWritable);
            outcome = step.get();
        } catch (SettingsException e) {
            return fail(ExitCode.BAD_SETTINGS, e.getMessage());
        } catch (EngineException e) {
            return fail(e.exitCode(), e.getMessage());
        }
        return finish(outcome, reportFile, htmlFile);
    }

    /** Prints the summary and the JSON report, writes the report file if asked, returns the exit code. */
    public int finish(Outcome outcome, Optional<Path> reportFile) {
        return finish(outcome, reportFile, Optional.empty());
    }

    private int finish(Outcome outcome, Optional<Path> reportFile, Optional<Path> htmlFile) {
        out.println();
        out.print(outcome.summary().endsWith("\n") ? outcome.summary() : outcome.summary() + "\n");
        out.println(REPORT_BEGIN);
        out.println(outcome.json());
        out.println(REPORT_END);
        out.flush();
        boolean written = reportFile.map(f -> write(f, outcome.json() + "\n")).orElse(true)
                & htmlFile.map(f -> write(f, HtmlReport.fromJson(outcome.json()))).orElse(true);
        return written || outcome.exitCode() != 0 ? outcome.exitCode() : ExitCode.FAILED.code();
    }

    private boolean write(Path file, String content) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, content);
            progress("report written to " + file);
            return true;
        } catch (IOException e) {
            out.println("error: cannot write the report file " + file + ": " + e.getMessage());
            return false;
        }
    }

    /** Prints one line {@code error: ...} and returns the code; for refusals before anything was done. */
    public int fail(ExitCode code, String message) {
        out.println("error: " + message);
        out.flush();
        return code.code();
    }

    /** What a step reports: the human summary, the JSON report, and the process exit code. */
    public record Outcome(String summary, String json, int exitCode) {
        public static Outcome of(MigrationReport report) {
            return new Outcome(Summary.of(report), ReportWriter.json(report), report.exitCode());
        }
    }
}
