package io.pgrelocate.engine.mysql;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An order-independent digest of a table: the row count and the sum (mod 2^64) of each row's
 * 64-bit hash; sums, unlike XOR, keep duplicate rows apart.
 */
final class RowDigest {
    private final MessageDigest sha;
    private long rows;
    private long sum;

    RowDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(String[] canonical) {
        rows++;
        sum += hash(canonical);
    }

    long hash(String[] canonical) {
        for (String v : canonical) {
            if (v == null) {
                sha.update((byte) 0);
            } else {
                sha.update((byte) 1);
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
                sha.update(b);
            }
        }
        return ByteBuffer.wrap(sha.digest()).getLong();
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
