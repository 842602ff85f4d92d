package io.pgrelocate.engine.mysql;

/**
 * A streamed read of one table slice, row by row, each value as the bytes the server sent (UTF-8 text, or
 * the raw bytes of a binary column from MySQL), so two sides can be compared without decoding equal values.
 */
interface RowCursor extends AutoCloseable {
    /** Moves to the next row; false at the end. */
    boolean next();

    /** The current row's value of column {@code i} (0-based), null for NULL. */
    byte[] value(int i);

    @Override
    void close();
}
