package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Preflight's word on what a stalled replication would cost the source: a slot keeps every WAL
 * segment its subscriber has not confirmed. With {@code max_slot_wal_keep_size=-1} (the default)
 * that grows on the source's volume until it fills and the source stops taking writes; with a
 * limit the slot is invalidated instead and the migration must start over. A warning, never a
 * refusal: the right limit depends on the volume, which only the operator knows for sure.
 */
final class WalRetentionCheck {
    static final String NAME = "logical: WAL retention";
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "::1");

    private WalRetentionCheck() {
    }

    static Check of(Db src) {
        Long limit = SlotHealth.keepLimit(src);
        Optional<Double> rate = writeRate(src);
        String during = "; it holds what the source writes from the slot's creation, through the bulk copy (the subscription"
                + " starts after it), until the target has applied it" + rate.map(r -> ": the source writes " + Durations.bytes(r.longValue())
                + "/s on average (pg_stat_wal), " + Durations.bytes((long) (r * 3600)) + " an hour").orElse("");
        if (limit != null && limit >= 0) {
            return Check.pass(NAME, SlotHealth.limitText(limit) + ": the slot may hold up to " + Durations.bytes(limit)
                    + " of WAL; a replication stalled beyond that is invalidated (the run stops saying so, and the migration must start"
                    + " over), and the source's volume never fills for it" + during
                    + rate.filter(r -> r >= 1).map(r -> ", so a bulk copy longer than about "
                            + Durations.human(Duration.ofSeconds((long) (limit / r))) + " at that rate loses the slot before the catch-up")
                    .orElse(""));
        }
        String inUse = walInUse(src).map(b -> "; pg_wal holds " + Durations.bytes(b) + " now").orElse("");
        String suggestion = freeSpace(src).map(free -> "e.g. ALTER SYSTEM SET max_slot_wal_keep_size = '" + Math.max(1, free / 2 / (1 << 20))
                        + "MB'; SELECT pg_reload_conf(); (half of the " + Durations.bytes(free) + " free on the volume of pg_wal)")
                .orElse("set max_slot_wal_keep_size well below the free space of the source's pg_wal volume (ALTER SYSTEM SET"
                        + " max_slot_wal_keep_size = '…GB'; SELECT pg_reload_conf(); Zalando/CNPG: spec.postgresql.parameters)");
        return Check.pass(NAME, "warning: " + SlotHealth.limitText(limit) + ": if the replication stalls (target down, apply error),"
                + " the slot keeps every WAL segment on the source's volume until it fills and the source stops taking writes" + inUse
                + during + "; " + (limit == null ? "watch the slot's retained WAL (pgrelocate status)" : suggestion));
    }

    /** The source's average WAL rate since its WAL statistics were reset (PostgreSQL 14+); empty where unknown. */
    private static Optional<Double> writeRate(Db src) {
        try {
            return src.list("SELECT wal_bytes::float8 / greatest(extract(epoch FROM now() - stats_reset), 1) FROM pg_stat_wal"
                    + " WHERE stats_reset IS NOT NULL", rs -> rs.getDouble(1)).stream().findFirst();
        } catch (DbException e) {
            return Optional.empty();  // before 14 there is no pg_stat_wal
        }
    }

    /** What pg_wal holds now; empty without the right to list it (pg_monitor or superuser). */
    private static Optional<Long> walInUse(Db src) {
        try {
            return Optional.of(src.longValue("SELECT coalesce(sum(size), 0)::bigint FROM pg_ls_waldir()"));
        } catch (DbException e) {
            return Optional.empty();
        }
    }

    /**
     * Free space on the volume of pg_wal, readable only when the source runs on this very host and
     * its data directory is visible here; a path read over SQL means nothing on another machine.
     */
    private static Optional<Long> freeSpace(Db src) {
        if (!LOCAL_HOSTS.contains(src.spec().host())) {
            return Optional.empty();
        }
        try {
            Path wal = Path.of(src.text("SELECT current_setting('data_directory')"), "pg_wal");
            return Files.isDirectory(wal) ? Optional.of(Files.getFileStore(wal).getUsableSpace()) : Optional.empty();
        } catch (DbException | IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
