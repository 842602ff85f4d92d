package io.pgrelocate.engine.verify;

/**
 * Row count and an order-independent content digest of one table: the sums, over all rows, of two
 * 64-bit hashes of the row's text. Sums (unlike XOR) keep duplicate rows apart.
 */
public record TableDigest(String kind, long rows, String digest) {
}
