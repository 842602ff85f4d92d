package io.pgrelocate.engine.mysql;

/**
 * An order-independent digest of a table: the row count and the sum (mod 2^64) of each row's 64-bit
 * hash; sums, unlike XOR, keep duplicate rows apart. The hash is FNV-1a over each value's characters,
 * mixed per value by MurmurHash3's finaliser: it detects changed values as a cryptographic hash would
 * (not values chosen to collide), at a fraction of SHA-256's cost, which made verify slower than the copy.
 */
final class RowDigest {
    private static final long NULL = 0x5bd1e9955bd1e995L;
    private long rows;
    private long sum;

    void add(String[] canonical) {
        rows++;
        sum += hash(canonical);
    }

    static long hash(String[] canonical) {
        long h = 0x9E3779B97F4A7C15L;
        for (String v : canonical) {
            long x = NULL;
            if (v != null) {
                x = 0xcbf29ce484222325L;
                for (int i = 0; i < v.length(); i++) {
                    x = (x ^ v.charAt(i)) * 0x100000001b3L;
                }
                x ^= v.length();
            }
            h = mix(h * 0x100000001b3L + x);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    long rows() {
        return rows;
    }

    String value() {
        return rows + " rows, digest " + Long.toHexString(sum);
    }

    boolean sameAs(RowDigest other) {
        return rows == other.rows && sum == other.sum;
    }
}
