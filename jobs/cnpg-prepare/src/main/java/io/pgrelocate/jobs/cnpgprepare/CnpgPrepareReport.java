package io.pgrelocate.jobs.cnpgprepare;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.jobs.support.CheckedJobReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** The engine's preflight report, the endpoint checks, and the job's overall result. */
@RegisterForReflection // Jackson writes it, also in a native image
public record CnpgPrepareReport(MigrationReport preflight, List<CheckResult> endpoints, @JsonUnwrapped Verdict verdict)
        implements CheckedJobReport {
    @Override
    public String command() {
        return "cnpg-prepare";
    }

    @Override
    public String summary() {
        return Summary.ofStep(preflight) + CheckResult.section("endpoints", endpoints) + verdict.lines(command());
    }
}
