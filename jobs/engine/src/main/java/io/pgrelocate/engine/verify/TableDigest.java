package io.pgrelocate.engine.verify;

/**
 * Row count and an order-independent content digest of one table: the sums of the two 64-bit
 * halves of md5(row text) over all rows. Sums (unlike XOR) keep duplicate rows apart.
 */
public record TableDigest(String kind, long rows, String digest) {
}
