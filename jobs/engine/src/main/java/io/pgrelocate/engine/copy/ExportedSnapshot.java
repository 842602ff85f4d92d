package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

/**
 * One consistent view of the source for many sessions: either exported here
 * ({@code pg_export_snapshot()} in a REPEATABLE READ transaction held open by a coordinator
 * session), or made by someone else, such as a replication slot created with {@code SNAPSHOT 'export'}
 * (then whoever made it keeps it alive). Sessions {@link #join} it with {@code SET TRANSACTION SNAPSHOT}.
 */
public final class ExportedSnapshot implements AutoCloseable {
    private final ConnectionSpec source;
    private final String id;
    private Db coordinator;

    private ExportedSnapshot(ConnectionSpec source, String id, Db coordinator) {
        this.source = source;
        this.id = id;
        this.coordinator = coordinator;
    }

    /** Exports a snapshot of {@code source} now; it lives until {@link #release()} or {@link #close()}. */
    public static ExportedSnapshot export(ConnectionSpec source) {
        Db db = Db.connect(source);
        try {
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            return new ExportedSnapshot(source, db.text("SELECT pg_export_snapshot()"), db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** A snapshot exported by someone else, who keeps it alive while sessions join it. */
    public static ExportedSnapshot given(ConnectionSpec source, String id) {
        if (id == null || !id.matches("[0-9A-Fa-f-]+")) {
            throw new IllegalArgumentException("not a snapshot id: " + id);
        }
        return new ExportedSnapshot(source, id, null);
    }

    /** Exports one unless {@code id} names a snapshot to use. */
    public static ExportedSnapshot exportUnless(ConnectionSpec source, String id) {
        return id == null ? export(source) : given(source, id);
    }

    public String id() {
        return id;
    }

    /** A new session on the source inside a read-only transaction that sees exactly this snapshot; {@code settings} run first. */
    public Db join(String... settings) {
        return join(source, id, settings);
    }

    /** A new session on {@code source} that sees the snapshot {@code id}; {@code settings} run before the transaction. */
    public static Db join(ConnectionSpec source, String id, String... settings) {
        Db db = Db.connect(source);
        try {
            for (String s : settings) {
                db.execute(s);
            }
            db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            db.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Ends the exporting transaction once every session has joined: later joins fail, joined ones keep their view. */
    public void release() {
        if (coordinator != null) {
            coordinator.close();
            coordinator = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
