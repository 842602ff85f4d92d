package io.pgrelocate.engine.verify;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proof's source side, taken in the same pass as the copy: the {@link CopyDigest} of every
 * table the stream copy relayed, fed from the rows it read (the source is not read a second time).
 * The verification then reads those tables back from the TARGET only, with the same COPY, and
 * compares; the target side never comes from the stream. A table counts once every one of its
 * ranges went through; the digests hold for the copy's snapshot (in a switchover window: the fenced
 * source). Thread-safe: the copy's workers add their ranges side by side.
 */
public final class SourceDigests {
    /**
     * How a table was streamed, so the target can be read back the same way.
     *
     * @param columns the copied columns, quoted and comma-separated; empty: all
     * @param binary  binary COPY, else text
     */
    public record Streamed(String sqlName, String columns, boolean binary) {
        /** The COPY that reads the table (or the range {@code where}, null for all) back with the copy's format. */
        String readBack(String where) {
            return "COPY (SELECT " + (columns.isEmpty() ? "*" : columns) + " FROM ONLY " + sqlName + (where == null ? "" : " WHERE " + where)
                    + ") TO STDOUT (FORMAT " + (binary ? "binary" : "text") + ")";
        }
    }

    private record Table(Streamed how, CopyDigest digest, AtomicInteger piecesLeft) {
    }

    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    /** The copy will stream table {@code qualifiedName} in {@code pieces} ranges. */
    public void expect(String qualifiedName, Streamed how, int pieces) {
        tables.put(qualifiedName, new Table(how, new CopyDigest(how.binary()), new AtomicInteger(pieces)));
    }

    /** Whether the copy digests this table (then {@link #add} must get every range). */
    public boolean expects(String qualifiedName) {
        return tables.containsKey(qualifiedName);
    }

    /** A new digest for one range's COPY stream of the table. */
    public CopyDigest start(String qualifiedName) {
        return new CopyDigest(tables.get(qualifiedName).how().binary());
    }

    /** One range went through whole. */
    public void add(String qualifiedName, CopyDigest range) {
        Table t = tables.get(qualifiedName);
        t.digest().add(range);
        t.piecesLeft().decrementAndGet();
    }

    /** The source's digest of a table every range of which went through; empty for any other. */
    Optional<CopyDigest> digest(String qualifiedName) {
        Table t = tables.get(qualifiedName);
        return t == null || t.piecesLeft().get() != 0 ? Optional.empty() : Optional.of(t.digest());
    }

    /** How to read the table back from the target, for a table {@link #digest} has. */
    Streamed how(String qualifiedName) {
        return tables.get(qualifiedName).how();
    }
}
