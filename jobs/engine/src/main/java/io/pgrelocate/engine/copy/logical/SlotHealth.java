package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;

import java.util.Optional;

/**
 * One replication slot's hold on the source's WAL, read from {@code pg_replication_slots}: how much
 * WAL it keeps ({@code restart_lsn} against {@code pg_current_wal_lsn()}), its {@code wal_status}
 * and {@code safe_wal_size} (PostgreSQL 13+), and the server's {@code max_slot_wal_keep_size}.
 * Read-only; what {@code status}, the catch-up and the drain call.
 *
 * @param slot          the slot's name
 * @param walStatus     reserved, extended, unreserved (past the limit: the next checkpoint invalidates it) or lost
 *                      (invalidated: the WAL the subscriber needs is gone); null before PostgreSQL 13
 * @param retainedBytes WAL kept for the slot on the source's volume
 * @param safeBytes     WAL the source may still write before the slot is in danger; null when unlimited or lost
 * @param keepLimit     max_slot_wal_keep_size in bytes; -1 unlimited, null before PostgreSQL 13 (no such setting)
 * @param confirmedLsn  what the subscriber has applied and flushed, as a number
 */
public record SlotHealth(String slot, String walStatus, long retainedBytes, Long safeBytes, Long keepLimit, long confirmedLsn) {
    static final int FIRST_MAJOR_WITH_LIMIT = 130000;
    /** How each warning about a slot's WAL begins in the run's output; the migration Job turns those lines into Warning Events. */
    public static final String WARNING = "slot: warning: ";
    /** The reason of those Events. */
    public static final String EVENT_REASON = "ReplicationSlotAtRisk";

    /** The slot named {@code slot} of {@code source}'s database (one of that name elsewhere is another run's); empty when there is none. */
    public static Optional<SlotHealth> read(Db source, String slot) {
        Long limit = keepLimit(source);
        String status = limit == null ? "NULL::text" : "wal_status";
        String safe = limit == null ? "NULL::bigint" : "safe_wal_size";
        return source.list("SELECT " + status + ", coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint, " + safe
                        + ", coalesce(pg_wal_lsn_diff(confirmed_flush_lsn, '0/0'), 0)::bigint FROM pg_replication_slots"
                        + " WHERE slot_name = ? AND database = current_database()",
                rs -> new SlotHealth(slot, rs.getString(1), rs.getLong(2), (Long) rs.getObject(3), limit, rs.getLong(4)), slot)
                .stream().findFirst();
    }

    /** max_slot_wal_keep_size in bytes (-1: unlimited); null on a server older than 13, which has no such limit. */
    static Long keepLimit(Db source) {
        if (source.longValue("SELECT current_setting('server_version_num')::int") < FIRST_MAJOR_WITH_LIMIT) {
            return null;
        }
        long mb = source.longValue("SELECT setting::bigint FROM pg_settings WHERE name = 'max_slot_wal_keep_size'");
        return mb < 0 ? -1L : mb * 1024 * 1024;
    }

    /** The slot was invalidated: the source removed WAL its subscriber had not applied, so it can never catch up. */
    public boolean lost() {
        return "lost".equals(walStatus);
    }

    /** Past max_slot_wal_keep_size: the next checkpoint invalidates the slot unless the subscriber catches up first. */
    public boolean unreserved() {
        return "unreserved".equals(walStatus);
    }

    /** The limit as PostgreSQL writes it, e.g. {@code max_slot_wal_keep_size=1 MB}, or what holds instead. */
    public static String limitText(Long keepLimit) {
        if (keepLimit == null) {
            return "no max_slot_wal_keep_size (before PostgreSQL 13 a slot keeps WAL without limit)";
        }
        return "max_slot_wal_keep_size=" + (keepLimit < 0 ? "-1 (unlimited)" : Durations.bytes(keepLimit));
    }

    /** e.g. {@code slot pgrelocate_m retains 3.0 MB of WAL (wal_status reserved, 1021 MB more before it is invalidated)}. */
    public String line() {
        return "slot " + slot + " retains " + Durations.bytes(retainedBytes) + " of WAL (" + (walStatus == null ? "" : "wal_status " + walStatus + ", ")
                + (safeBytes != null ? Durations.bytes(Math.max(safeBytes, 0)) + " more before it is invalidated"
                : lost() ? "invalidated" : limitText(keepLimit)) + ")";
    }
}
