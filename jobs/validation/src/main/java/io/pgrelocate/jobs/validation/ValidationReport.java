package io.pgrelocate.jobs.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pgrelocate.engine.baseline.BaselineResult;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.integrity.ForeignKeyOrphans;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.jobs.support.CheckedJobReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * The engine's verify report, the checks on the target, every foreign key's orphan count, the
 * performance baseline, and the overall result ({@link #passed()}).
 *
 * @param foreignKeys null when the checks did not get that far
 * @param performance null when the checks did not get that far
 */
@RegisterForReflection // Jackson writes it, also in a native image
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationReport(MigrationReport verify, List<CheckResult> checks, List<ForeignKeyOrphans> foreignKeys,
                               BaselineResult performance, @JsonUnwrapped Verdict verdict) implements CheckedJobReport {
    /** Foreign keys listed one by one in the summary up to this many; beyond it only the broken ones. */
    private static final int KEYS_SHOWN = 20;

    @Override
    public String command() {
        return "validation";
    }

    /** Whether the target passed validation: content identical and every check passed. */
    @Override
    public boolean passed() {
        return verdict.passed();
    }

    @Override
    public String summary() {
        StringBuilder sb = new StringBuilder(Summary.ofStep(verify));
        if (!checks.isEmpty()) {
            sb.append(CheckResult.section("checks", checks));
        }
        if (foreignKeys != null && !foreignKeys.isEmpty()) {
            sb.append("foreign keys\n");
            foreignKeys.stream().filter(k -> k.orphans() > 0 || foreignKeys.size() <= KEYS_SHOWN)
                    .forEach(k -> sb.append(k.orphans() > 0 ? "  ✗ " : "  ✓ ").append(k.describe()).append('\n'));
        }
        if (performance != null && !performance.queries().isEmpty()) {
            sb.append("performance baseline (median of ").append(performance.runs()).append(" runs)\n");
            performance.queries().forEach(q -> sb.append("  ").append(q.describe()).append('\n'));
        }
        return sb + verdict.lines(command());
    }
}
