package io.pgrelocate.jobs.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.report.ReportWriter;

/**
 * A job's report that wraps an engine step's report with checks of the job's own and ends in one
 * {@link Verdict}: the JSON carries {@code command}, {@code passed} and the verdict's fields.
 */
public interface CheckedJobReport {
    @JsonProperty("command")
    String command();

    Verdict verdict();

    String summary();

    /** Whether the job found everything in order; what a ledger or a pipeline records. */
    @JsonProperty("passed")
    default boolean passed() {
        return verdict().passed();
    }

    default JobRun.Outcome outcome() {
        return new JobRun.Outcome(summary(), ReportWriter.json(this), verdict().exitCode());
    }
}
