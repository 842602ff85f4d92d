package io.pgrelocate.engine.common;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicates that cut a table into ranges holding every row exactly once: the first and the last
 * range are open ({@code col < c1}, …, {@code col >= cn}), so no row escapes past a bound.
 */
public final class Ranges {
    /** PostgreSQL 14 scans a ctid range without reading the rest of the table (TID Range Scan). */
    public static final int TID_RANGE_SCAN_VERSION = 140000;

    private Ranges() {
    }

    /** {@code pieces} ranges of heap pages: {@code ctid >= '(a,0)' AND ctid < '(b,0)'}; none when too small to cut. */
    public static List<String> ofPages(long pages, int pieces) {
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i < pieces && pages >= pieces; i++) {
            cuts.add("'(" + pages * i / pieces + ",0)'::tid");
        }
        return between("ctid", cuts);
    }

    /** {@code column < c1}, {@code column >= c1 AND column < c2}, …, {@code column >= cn}; none without cuts. */
    public static List<String> between(String column, List<String> cuts) {
        List<String> ranges = new ArrayList<>();
        if (cuts.isEmpty()) {
            return ranges;
        }
        ranges.add(column + " < " + cuts.get(0));
        for (int i = 1; i < cuts.size(); i++) {
            ranges.add(column + " >= " + cuts.get(i - 1) + " AND " + column + " < " + cuts.get(i));
        }
        ranges.add(column + " >= " + cuts.get(cuts.size() - 1));
        return ranges;
    }
}
