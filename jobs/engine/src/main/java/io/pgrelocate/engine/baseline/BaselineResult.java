package io.pgrelocate.engine.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The timed queries and their overall target/source ratio: the geometric mean of the per-query
 * ratios, so that one long count(*) does not outweigh the lookups. Informational unless a maximum
 * ratio is set.
 *
 * @param maxRatio the ratio above which the baseline fails, or null
 */
public record BaselineResult(List<QueryTiming> queries, int runs, Double maxRatio) {
    @JsonProperty("overallRatio")
    public double overallRatio() {
        return Math.exp(queries.stream().mapToDouble(q -> Math.log(q.ratio())).average().orElse(0));
    }

    public boolean exceeded() {
        return maxRatio != null && !queries.isEmpty() && overallRatio() > maxRatio;
    }

    public CheckResult verdict() {
        if (queries.isEmpty()) {
            return CheckResult.ok("performance", "no tables to time");
        }
        QueryTiming slowest = queries.stream().max(Comparator.comparingDouble(QueryTiming::ratio)).orElseThrow();
        String overall = String.format(Locale.ROOT, "target/source %.2fx overall (geometric mean of %d queries, median of %d runs"
                + " each); slowest: %s", overallRatio(), queries.size(), runs, slowest.describe());
        if (exceeded()) {
            return CheckResult.failed("performance", ExitCode.CHECK_FAILED, overall + "; more than PGRELOCATE_PERF_MAX_RATIO="
                    + maxRatio + ": give the target more CPU and memory, check shared_buffers and that ANALYZE ran");
        }
        return CheckResult.ok("performance", overall + (maxRatio == null ? " (informational)" : " (limit " + maxRatio + ")"));
    }
}
