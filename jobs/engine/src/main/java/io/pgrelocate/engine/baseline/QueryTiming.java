package io.pgrelocate.engine.baseline;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/** One query's median time on the source and on the target, in milliseconds. */
public record QueryTiming(String table, String query, double sourceMillis, double targetMillis) {
    /** A floor for the divisor: a query the clock cannot tell from zero must not make the ratio infinite. */
    private static final double MIN_MILLIS = 0.001;

    /** Target time over source time: 2.0 means the target took twice as long. */
    @JsonProperty("ratio")
    public double ratio() {
        return Math.max(targetMillis, MIN_MILLIS) / Math.max(sourceMillis, MIN_MILLIS);
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s %s: source %.2f ms, target %.2f ms, ratio %.2f", query, table,
                sourceMillis, targetMillis, ratio());
    }
}
