package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

/**
 * One database as it was at the switch point: a read-only repeatable-read transaction that exported
 * its snapshot and stays open, so a verification after the thaw can read exactly that state while
 * the applications already write. Closing it ends the transaction.
 */
final class SnapshotHold implements AutoCloseable {
    private final Db db;
    private final String snapshot;

    private SnapshotHold(Db db, String snapshot) {
        this.db = db;
        this.snapshot = snapshot;
    }

    static SnapshotHold of(ConnectionSpec spec) {
        Db db = Db.connect(spec);
        try {
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            return new SnapshotHold(db, db.text("SELECT pg_export_snapshot()"));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    String snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        db.close();
    }
}
