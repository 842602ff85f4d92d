package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report of a MySQL copy or a merge, in the engine's {@link MigrationReport} shape: the exit
 * code is the first failed check's, else 12 when verify found differences; the notes (what was
 * converted or left out) travel as the verify warnings, or as passed checks when nothing was verified.
 */
public final class RunReport {
    private RunReport() {
    }

    public static MigrationReport of(String command, String source, String target, Instant started, Instant finished,
                                     List<Check> checks, CopyResult copy, VerifyResult verify, List<String> notes) {
        ExitCode code = checks.stream().filter(c -> !c.passed()).findFirst().map(Check::failure)
                .orElse(verify != null && !verify.identical() ? ExitCode.DIFFERENCES : ExitCode.OK);
        String error = checks.stream().filter(c -> !c.passed()).findFirst().map(Check::message)
                .orElse(code == ExitCode.DIFFERENCES ? verify.differences().size() + " difference(s) found" : null);
        if (verify == null) {
            // Nothing was verified (a dry run, or a refusal): the notes go with the checks.
            List<Check> withNotes = new ArrayList<>(checks);
            notes.forEach(n -> withNotes.add(Check.pass("note", n)));
            return failed(command, source, target, started, finished, withNotes, copy, null, code, error);
        }
        VerifyResult v = new VerifyResult(verify.tablesCompared(), verify.rowsCompared(), 0, 0, Map.of(), verify.differences(), notes);
        return failed(command, source, target, started, finished, checks, copy, v, code, error);
    }

    public static MigrationReport failed(String command, String source, String target, Instant started, Instant finished,
                                         List<Check> checks, CopyResult copy, VerifyResult verify, ExitCode code, String error) {
        return MigrationReport.of(command, source, target, started, finished, null, null, checks, copy, verify, null, code, error, null);
    }
}
