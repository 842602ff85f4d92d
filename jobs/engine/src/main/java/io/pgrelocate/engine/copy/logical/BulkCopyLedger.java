package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.CopyLedger;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The bulk copy's progress on the target, for a {@code replicate} stopped during it: the run's
 * record (as {@link ReplicationRecord} keeps it, written before the copy) and each table whose data
 * is all committed, added on a session of its own right after its last COPY committed (a kill in
 * between only copies that table again). One row per migration in {@code pgrelocate.bulk_copy};
 * deleted once the run's {@link ReplicationRecord} is written, and by teardown.
 */
final class BulkCopyLedger implements CopyLedger, AutoCloseable {
    static final String TABLE = ReplicationRecord.SCHEMA + ".bulk_copy";

    /** What a stopped run left: its record, the tables it finished, whether its later phases had begun. */
    record Progress(ReplicationRecord run, Set<String> copied, boolean laterPhases) {
    }

    private final Db db;
    private final String migration;
    private final Consumer<String> out;

    private BulkCopyLedger(Db db, String migration, Consumer<String> out) {
        this.db = db;
        this.migration = migration;
        this.out = out;
    }

    /** Starts the ledger of {@code run} (replacing an older one of the same migration). */
    static BulkCopyLedger begin(ConnectionSpec target, ReplicationRecord run, Consumer<String> out) {
        Db db = Db.connect(target);
        db.execute("CREATE SCHEMA IF NOT EXISTS " + ReplicationRecord.SCHEMA);
        db.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (migration text PRIMARY KEY, started timestamptz NOT NULL, slot_start text NOT NULL,"
                + " source_schema jsonb NOT NULL, copied text[] NOT NULL DEFAULT '{}', later_phases boolean NOT NULL DEFAULT false)");
        db.one("INSERT INTO " + TABLE + " (migration, started, slot_start, source_schema) VALUES (?, ?::timestamptz, ?, ?::jsonb)"
                        + " ON CONFLICT (migration) DO UPDATE SET started = excluded.started, slot_start = excluded.slot_start,"
                        + " source_schema = excluded.source_schema, copied = '{}', later_phases = false RETURNING 1",
                rs -> null, run.migration(), run.started().toString(), run.slotStart(), run.json());
        return new BulkCopyLedger(db, run.migration(), out);
    }

    @Override
    public synchronized void tableCopied(TableInfo table) {
        db.one("UPDATE " + TABLE + " SET copied = array_append(copied, ?) WHERE migration = ? RETURNING 1", rs -> null,
                table.qualifiedName(), migration);
        out.accept("bulk copy: " + table.qualifiedName() + " complete and recorded on the target");
    }

    @Override
    public synchronized void laterPhasesBegin() {
        db.one("UPDATE " + TABLE + " SET later_phases = true WHERE migration = ? RETURNING 1", rs -> null, migration);
    }

    @Override
    public void close() {
        db.close();
    }

    static Optional<Progress> read(Db target, LogicalNames names) {
        if (!exists(target)) {
            return Optional.empty();
        }
        return target.list("SELECT extract(epoch FROM started)::float8, slot_start, source_schema::text, copied, later_phases FROM " + TABLE
                        + " WHERE migration = ?",
                rs -> new Progress(ReplicationRecord.stored(names.migration(), java.time.Instant.ofEpochMilli((long) (rs.getDouble(1) * 1000)),
                        rs.getString(2), rs.getString(3)), Set.of((String[]) rs.getArray(4).getArray()), rs.getBoolean(5)),
                names.migration()).stream().findFirst();
    }

    /** Deletes the migration's row; whether there was one. */
    static boolean forget(Db target, LogicalNames names) {
        if (!exists(target)) {
            return false;
        }
        return target.longValue("WITH d AS (DELETE FROM " + TABLE + " WHERE migration = ? RETURNING 1) SELECT count(*) FROM d",
                names.migration()) > 0;
    }

    /** Rows of any migration left in the ledger. */
    static long rows(Db target) {
        return exists(target) ? target.longValue("SELECT count(*) FROM " + TABLE) : 0;
    }

    private static boolean exists(Db target) {
        return target.longValue("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = 'bulk_copy'", ReplicationRecord.SCHEMA) > 0;
    }

}
