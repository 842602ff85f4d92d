package io.pgrelocate.engine.verify;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Row count and an order-independent digest of a table's rows as {@code COPY … TO STDOUT} prints
 * them, computed in the JVM from the CopyData messages (one per row): the two halves of each row's
 * 128-bit MurmurHash3, each summed modulo 2^64 (sums, unlike XOR, keep duplicate rows apart). The
 * source's side is fed by the stream copy from the rows it relays anyway; the target's by reading
 * the table back from the target with the same COPY format and output settings, so both sides are
 * the same function of the same bytes. Ranges of a table digested apart {@link #add add} up to the
 * digest of the whole table. Not thread-safe: one per COPY stream, then added up.
 */
public final class CopyDigest {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Binary COPY's file header: an 11-byte signature, flags, and the length of an extension that follows. */
    private static final int BINARY_HEADER = 11 + 4 + 4;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private final boolean binary;
    private boolean headerPending;
    private long rows;
    private long sum1;
    private long sum2;

    /** A digest of COPY output in binary (else text) format; the first message may carry binary COPY's header. */
    public CopyDigest(boolean binary) {
        this.binary = binary;
        this.headerPending = binary;
    }

    /** One CopyData message of a COPY TO: a row (binary: the first also holds the header; the last is the trailer). */
    public void row(byte[] message) {
        int from = 0;
        if (headerPending) {
            headerPending = false;
            from = BINARY_HEADER + readInt(message, 15);
            if (from == message.length) {
                return;  // the header came alone
            }
        }
        if (binary && message.length == 2 && message[0] == -1 && message[1] == -1) {
            return;  // the trailer: a field count of -1
        }
        rows++;
        addMurmur3(message, from, message.length - from);
    }

    /** Adds the rows of another part of the same table (a range digested apart). */
    public synchronized void add(CopyDigest part) {
        rows += part.rows;
        sum1 += part.sum1;
        sum2 += part.sum2;
    }

    public synchronized long rows() {
        return rows;
    }

    /** The digest as the comparison shows it: the format and both sums. */
    public synchronized String value() {
        return "copy " + (binary ? "binary " : "text ") + "%016x%016x".formatted(sum1, sum2);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Adds MurmurHash3 x64 128 (Austin Appleby, public domain), seed 0, to the sums: no array per row on the copy's path. */
    private void addMurmur3(byte[] data, int offset, int length) {
        long h1 = 0;
        long h2 = 0;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            int at = offset + (i << 4);
            long k1 = (long) LONGS.get(data, at);
            long k2 = (long) LONGS.get(data, at + 8);
            h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
            h1 = (Long.rotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
            h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
            h2 = (Long.rotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
        }
        int tail = offset + (blocks << 4);
        long k1 = 0;
        long k2 = 0;
        switch (length & 15) {
            case 15: k2 ^= (long) (data[tail + 14] & 0xff) << 48;
            case 14: k2 ^= (long) (data[tail + 13] & 0xff) << 40;
            case 13: k2 ^= (long) (data[tail + 12] & 0xff) << 32;
            case 12: k2 ^= (long) (data[tail + 11] & 0xff) << 24;
            case 11: k2 ^= (long) (data[tail + 10] & 0xff) << 16;
            case 10: k2 ^= (long) (data[tail + 9] & 0xff) << 8;
            case 9:
                k2 ^= data[tail + 8] & 0xff;
                h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
            case 8: k1 ^= (long) (data[tail + 7] & 0xff) << 56;
            case 7: k1 ^= (long) (data[tail + 6] & 0xff) << 48;
            case 6: k1 ^= (long) (data[tail + 5] & 0xff) << 40;
            case 5: k1 ^= (long) (data[tail + 4] & 0xff) << 32;
            case 4: k1 ^= (long) (data[tail + 3] & 0xff) << 24;
            case 3: k1 ^= (long) (data[tail + 2] & 0xff) << 16;
            case 2: k1 ^= (long) (data[tail + 1] & 0xff) << 8;
            case 1:
                k1 ^= data[tail] & 0xff;
                h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        sum1 += h1;
        sum2 += h2;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb3f99e1b87a5L;
        k ^= k >>> 33;
        return k;
    }
}
