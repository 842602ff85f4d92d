package io.pgrelocate.engine.mysql;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A slice of a table by the values of its first key column, an integer: {@code [from, to)}, open at the
 * ends of the table (null), so rows outside the source's MIN..MAX, which only the target can hold, fall
 * in the first or last slice. A table without an integer key column is one slice, {@link #ALL}.
 */
record KeyRange(Long from, Long to) {
    static final KeyRange ALL = new KeyRange(null, null);
    /** Rows per slice: small enough to spread a big table over the jobs, big enough that each slice's queries cost little. */
    static final long ROWS = 250_000;

    /** The slices of {@code min..max} for about {@code rows} rows. */
    static List<KeyRange> split(long min, long max, long rows) {
        int n = (int) Math.max(1, Math.min(64, (rows + ROWS - 1) / ROWS));
        if (n == 1 || max <= min) {
            return List.of(ALL);
        }
        BigInteger lo = BigInteger.valueOf(min);
        BigInteger width = BigInteger.valueOf(max).subtract(lo).add(BigInteger.ONE);
        List<KeyRange> out = new ArrayList<>();
        Long from = null;
        for (int i = 1; i < n; i++) {
            long to = lo.add(width.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n))).longValueExact();
            if (from == null || to > from) {
                out.add(new KeyRange(from, to));
                from = to;
            }
        }
        out.add(new KeyRange(from, null));
        return out;
    }

    /** {@code " WHERE …"} on the (quoted) column, or "" for the whole table. */
    String where(String column) {
        if (from == null && to == null) {
            return "";
        }
        return " WHERE " + (from == null ? "" : column + " >= " + from) + (from != null && to != null ? " AND " : "")
                + (to == null ? "" : column + " < " + to);
    }

    String describe() {
        return from == null && to == null ? "" : " [" + (from == null ? "" : from) + ".." + (to == null ? "" : to) + ")";
    }
}
