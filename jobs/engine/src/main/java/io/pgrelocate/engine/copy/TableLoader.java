package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * Copies one unit: {@code COPY … TO STDOUT} on the source session read message by message
 * ({@link CopyOut#readFromCopy()}) and written straight into {@code COPY … FROM STDIN} on the target
 * ({@link CopyIn#writeToCopy}); one row is in memory at a time, nothing touches the disk. A table
 * loaded whole is truncated first in the same transaction, which lets COPY FREEZE write the rows
 * already frozen (no freeze vacuum later; no WAL for them under wal_level=minimal). Small tables are
 * not: a TRUNCATE makes a new file per table, which cost more than the freeze saves when there are thousands.
 */
final class TableLoader {
    /** Tables below this size are loaded without TRUNCATE and FREEZE. */
    static final long FREEZE_MIN_BYTES = 8L << 20;

    private final BooleanSupplier aborted;

    TableLoader(BooleanSupplier aborted) {
        this.aborted = aborted;
    }

    void load(CopyUnit unit, StreamProgress.Table counters, Db source, Db target) throws SQLException {
        boolean freeze = counters.freeze;
        if (freeze) {
            target.execute("BEGIN");
            target.execute("TRUNCATE ONLY " + unit.table().sqlName());
        }
        CopyOut out = source.connection().unwrap(PGConnection.class).getCopyAPI().copyOut(unit.copyOut());
        CopyIn in = null;
        try {
            in = target.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(unit.copyIn(freeze));
            long messages = 0;
            byte[] row;
            while ((row = read(out, source)) != null) {
                write(in, row, target);
                counters.bytes.add(row.length);
                counters.rows.increment();
                messages++;
                if ((messages & 1023) == 0 && aborted.getAsBoolean()) {
                    throw new SQLException("cancelled: another worker failed");
                }
            }
            long rows = end(in, target);
            counters.rows.add(rows - messages);  // binary COPY sends a header and a trailer besides the rows
            if (freeze) {
                target.execute("COMMIT");
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

    private static void write(CopyIn in, byte[] row, Db target) throws SQLException {
        try {
            in.writeToCopy(row, 0, row.length);
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
