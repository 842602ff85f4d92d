package io.pgrelocate.engine.mysql;

/** The few MySQL value shapes both the copy and verify must read alike. */
final class MysqlValues {
    private MysqlValues() {
    }

    /** What a zero date in a NOT NULL column becomes: a value MySQL cannot hold, so the round trip is exact. */
    static final String NOT_NULL_ZERO = "-infinity";

    /** {@code 0000-00-00…}, or a date with a zero year, month or day, which PostgreSQL cannot hold. */
    static boolean isZeroDate(String s) {
        return s.length() >= 10 && (s.startsWith("0000") || s.startsWith("-00", 4) || s.startsWith("-00", 7));
    }

    static boolean isFalse(String s) {
        return s.equals("0");
    }

    /** The rightmost {@code n} bits of a big-endian value, as PostgreSQL's bit(n) text. */
    static String bits(byte[] v, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int bit = n - 1; bit >= 0; bit--) {
            int byteIndex = v.length - 1 - bit / 8;
            boolean set = byteIndex >= 0 && (v[byteIndex] >> (bit % 8) & 1) == 1;
            sb.append(set ? '1' : '0');
        }
        return sb.toString();
    }

    /** A SET value ({@code a,b}) as a PostgreSQL array literal with every element quoted. */
    static String arrayLiteral(String set) {
        if (set.isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder("{");
        for (String element : set.split(",", -1)) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(element.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
