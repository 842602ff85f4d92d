package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;

import java.util.List;

/**
 * A pgrelocate replication slot on a server, and the WAL it keeps there: what {@code status}
 * shows, because a forgotten slot fills the source's disk.
 *
 * @param retainedBytes WAL kept for the slot: pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)
 */
public record LeftoverSlot(String name, String database, boolean active, long retainedBytes) {

    /** Every slot named pgrelocate_… on the server {@code db} is connected to, any database. */
    public static List<LeftoverSlot> on(Db db) {
        return db.list("""
                SELECT slot_name::text, coalesce(database::text, ''), active,
                       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint
                  FROM pg_replication_slots WHERE slot_name LIKE ? ORDER BY 1""",
                rs -> new LeftoverSlot(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)),
                LogicalNames.PREFIX.replace("_", "\\_") + "%");
    }

    public String line() {
        return "replication slot " + name + " (database " + database + (active ? ", in use" : ", idle") + ") retains "
                + io.pgrelocate.engine.common.Durations.bytes(retainedBytes) + " of WAL: drop it with pgrelocate rollback, or"
                + " SELECT pg_drop_replication_slot('" + name + "')";
    }
}
