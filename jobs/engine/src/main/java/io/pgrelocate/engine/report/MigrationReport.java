package io.pgrelocate.engine.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.switchover.WindowReport;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Instant;
import java.util.List;

/**
 * The record of one run — what a user keeps as proof. Connection fields are display strings
 * (user@host:port/db): no password ever reaches a report. {@code apps} is what the run did to the
 * applications (the replica ledger), when it stopped any; {@code window} the measured downtime of
 * the switchover window, when there was one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationReport(String command, String source, String target, Instant started, Instant finished,
                              String sourceVersion, String targetVersion, List<Check> preflight, CopyResult copy,
                              VerifyResult verify, ApplicationsReport apps, String result, int exitCode, String error, WindowReport window) {
    /** A run without a switchover window. */
    public MigrationReport(String command, String source, String target, Instant started, Instant finished,
                           String sourceVersion, String targetVersion, List<Check> preflight, CopyResult copy,
                           VerifyResult verify, ApplicationsReport apps, String result, int exitCode, String error) {
        this(command, source, target, started, finished, sourceVersion, targetVersion, preflight, copy, verify, apps, result, exitCode, error, null);
    }

    /** The one place a run's result line comes from its exit code ({@code SUCCESS} or {@code FAILED: …}). */
    public static MigrationReport of(String command, String source, String target, Instant started, Instant finished,
                                     String sourceVersion, String targetVersion, List<Check> preflight, CopyResult copy,
                                     VerifyResult verify, ApplicationsReport apps, ExitCode code, String error, WindowReport window) {
        return new MigrationReport(command, source, target, started, finished, sourceVersion, targetVersion, preflight, copy, verify, apps,
                Verdict.resultOf(code), code.code(), error, window);
    }
}
