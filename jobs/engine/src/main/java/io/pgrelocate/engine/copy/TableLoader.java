package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.verify.CopyDigest;
import io.pgrelocate.engine.verify.SourceDigests;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * Copies one unit: {@code COPY … TO STDOUT} on the source session read message by message
 * ({@link CopyOut#readFromCopy()}, one row each) and relayed into {@code COPY … FROM STDIN} on the
 * target ({@link CopyIn#writeToCopy}) in blocks of {@link #BLOCK} bytes: the COPY stream may be cut
 * anywhere, and one message per block instead of one per row spares the target's backend and the
 * driver a message each (as pg_restore sends its data in blocks). One block per worker is in
 * memory, whatever the table's size; nothing touches the disk. The rows of the tables the proof
 * expects are digested on the way ({@link SourceDigests}), so the verification need not read the
 * source again. A table
 * loaded whole is truncated first in the same transaction, which lets COPY FREEZE write the rows
 * already frozen (no freeze vacuum later; no WAL for them under wal_level=minimal). Small tables are
 * not: a TRUNCATE makes a new file per table, which cost more than the freeze saves when there are thousands.
 */
final class TableLoader {
    /** Bytes relayed per CopyData message to the target. */
    static final int BLOCK = 256 << 10;
    /** Tables below this size are loaded without TRUNCATE and FREEZE. */
    static final long FREEZE_MIN_BYTES = 8L << 20;

    private final BooleanSupplier aborted;
    private final SourceDigests digests;
    private final ThreadLocal<byte[]> blocks = ThreadLocal.withInitial(() -> new byte[BLOCK]);

    /** With {@code digests} (null: none), the rows of the tables it expects are digested as they pass. */
    TableLoader(BooleanSupplier aborted, SourceDigests digests) {
        this.aborted = aborted;
        this.digests = digests;
    }

    void load(CopyUnit unit, StreamProgress.Table counters, Db source, Db target) throws SQLException {
        boolean freeze = counters.freeze;
        if (freeze) {
            target.execute("BEGIN");
            target.execute("TRUNCATE ONLY " + unit.table().sqlName());
        }
        String name = unit.table().qualifiedName();
        CopyDigest digest = digests != null && digests.expects(name) ? digests.start(name) : null;
        CopyOut out = source.connection().unwrap(PGConnection.class).getCopyAPI().copyOut(unit.copyOut());
        CopyIn in = null;
        try {
            in = target.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(unit.copyIn(freeze));
            byte[] block = blocks.get();
            int used = 0;
            long messages = 0;
            long pending = 0;
            byte[] row;
            while ((row = read(out, source)) != null) {
                if (digest != null) {
                    digest.row(row);
                }
                if (used + row.length > block.length) {
                    write(in, block, used, target);
                    counters.bytes.add(used);
                    counters.rows.add(pending);
                    used = 0;
                    pending = 0;
                    if (aborted.getAsBoolean()) {
                        throw new SQLException("cancelled: another worker failed");
                    }
                }
                if (row.length > block.length) {
                    write(in, row, row.length, target);
                    counters.bytes.add(row.length);
                } else {
                    System.arraycopy(row, 0, block, used, row.length);
                    used += row.length;
                }
                pending++;
                messages++;
            }
            write(in, block, used, target);
            counters.bytes.add(used);
            counters.rows.add(pending);
            long rows = end(in, target);
            counters.rows.add(rows - messages);  // binary COPY sends a header and a trailer besides the rows
            if (freeze) {
                target.execute("COMMIT");
            }
            if (digest != null) {
                digests.add(name, digest);
            }
        } finally {
            cancel(out);
            cancel(in);
        }
    }

    /** The source's error, named as the source's. */
    private static byte[] read(CopyOut out, Db source) throws SQLException {
        try {
            return out.readFromCopy();
        } catch (SQLException e) {
            throw new SQLException(source.spec().display() + " (source): " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static void write(CopyIn in, byte[] data, int length, Db target) throws SQLException {
        if (length == 0) {
            return;
        }
        try {
            in.writeToCopy(data, 0, length);
        } catch (SQLException e) {
            throw onTarget(e, target);
        }
    }

    private static long end(CopyIn in, Db target) throws SQLException {
        try {
            return in.endCopy();
        } catch (SQLException e) {
            throw onTarget(e, target);
        }
    }

    private static SQLException onTarget(SQLException e, Db target) {
        return new SQLException(target.spec().display() + " (target): " + e.getMessage(), e.getSQLState(), e);
    }

    private static void cancel(org.postgresql.copy.CopyOperation op) {
        if (op != null && op.isActive()) {
            try {
                op.cancelCopy();
            } catch (SQLException ignored) {
                // the session is already lost; the error that got us here is the one to report
            }
        }
    }
}
