package io.pgrelocate.engine.mysql;

import java.util.HexFormat;
import java.util.List;

/**
 * Writes MySQL values as fields of PostgreSQL's COPY text format, converting where the types
 * differ (README "Type mapping"). Counts, per column, the values it had to change: zero dates in
 * nullable columns become NULL (in NOT NULL columns -infinity, which verify reads as the zero date),
 * NUL characters are removed from text.
 */
public final class CopyEncoder {
    private static final HexFormat HEX = HexFormat.of();

    private final List<ColumnPlan> columns;
    private final int[] bitLengths;
    private final long[] madeNull;
    private final long[] nulRemoved;

    public CopyEncoder(List<ColumnPlan> columns) {
        this.columns = columns;
        this.bitLengths = new int[columns.size()];
        this.madeNull = new long[columns.size()];
        this.nulRemoved = new long[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            bitLengths[i] = columns.get(i).kind() == ValueKind.BIT ? bitLength(columns.get(i).type().pgType()) : 0;
        }
    }

    /** Appends one row (tab separated, newline terminated). */
    public void row(Object[] values, StringBuilder out) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            field(i, values[i], out);
        }
        out.append('\n');
    }

    private void field(int i, Object v, StringBuilder out) {
        if (v == null) {
            out.append("\\N");
            return;
        }
        ColumnPlan c = columns.get(i);
        switch (c.kind()) {
            case BYTES -> out.append("\\\\x").append(HEX.formatHex((byte[]) v));
            case BIT -> out.append(MysqlValues.bits((byte[]) v, bitLengths[i]));
            case BOOLEAN -> out.append(MysqlValues.isFalse((String) v) ? 'f' : 't');
            case DATE, TIMESTAMP, TIMESTAMPTZ -> {
                String s = (String) v;
                if (MysqlValues.isZeroDate(s) && !c.nullable()) {
                    // preflight let only whole zero dates into a NOT NULL column: -infinity, read back as zero by verify
                    out.append(MysqlValues.NOT_NULL_ZERO);
                } else if (MysqlValues.isZeroDate(s)) {
                    madeNull[i]++;
                    out.append("\\N");
                } else {
                    out.append(s).append(c.kind() == ValueKind.TIMESTAMPTZ ? "+00" : "");
                }
            }
            case ARRAY -> escape(MysqlValues.arrayLiteral((String) v), out, i);
            case TEXT -> {
                String s = (String) v;
                if (s.isEmpty() && c.type().isEnum() && !c.type().enumLabels().contains("")) {
                    madeNull[i]++;
                    out.append("\\N");
                } else {
                    escape(s, out, i);
                }
            }
            default -> escape((String) v, out, i);
        }
    }

    private void escape(String s, StringBuilder out, int column) {
        int plain = 0;
        while (plain < s.length() && !special(s.charAt(plain))) {
            plain++;
        }
        if (plain == s.length()) {
            // most values need no escape: one copy rather than a char at a time
            out.append(s);
            return;
        }
        out.append(s, 0, plain);
        for (int k = plain; k < s.length(); k++) {
            char ch = s.charAt(k);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> nulRemoved[column]++;
                default -> out.append(ch);
            }
        }
    }

    private static boolean special(char ch) {
        return ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t' || ch == '\0';
    }

    /** Values made NULL per column (zero dates, invalid enum values), by target column name; zeros left out. */
    public java.util.Map<String, Long> madeNull() {
        return counts(madeNull);
    }

    /** NUL characters removed per column, by target column name; zeros left out. */
    public java.util.Map<String, Long> nulRemoved() {
        return counts(nulRemoved);
    }

    private java.util.Map<String, Long> counts(long[] values) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] > 0) {
                out.put(columns.get(i).target(), values[i]);
            }
        }
        return out;
    }

    static int bitLength(String pgType) {
        int open = pgType.indexOf('(');
        return open < 0 ? 1 : Integer.parseInt(pgType.substring(open + 1, pgType.indexOf(')')).trim());
    }
}
