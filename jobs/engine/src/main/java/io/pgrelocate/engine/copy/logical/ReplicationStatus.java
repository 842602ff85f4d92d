package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a replication left by {@code replicate} stands, read from the two servers alone (no
 * pgrelocate process needs to run): lag in bytes (the slot's confirmed position against the source's
 * current one) and seconds (the walsender's replay_lag), the apply rate and drain estimate from two
 * samples, the WAL the slot retains against max_slot_wal_keep_size, and the DDL made on the source
 * since the run's fingerprint.
 */
public final class ReplicationStatus {
    /** What status found; {@code lines} as printed. */
    public record Report(List<String> lines, LagSample lag, List<String> schemaChanges) {
    }

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final LogicalNames names;
    private final long maxLag;
    private final Clock clock;

    public ReplicationStatus(ConnectionSpec source, ConnectionSpec target, String migration, long maxLag, Clock clock) {
        this.source = source;
        this.target = target;
        this.names = LogicalNames.of(migration);
        this.maxLag = maxLag;
        this.clock = clock;
    }

    /** Samples the lag twice, {@code between} apart (the apply rate needs two points); REPLICATION when there is no such replication. */
    public Report read(Duration between) {
        try (Db src = Db.connect(source); Db tgt = Db.connect(target)) {
            ReplicationRecord run = ReplicationRecord.read(tgt, names).orElseThrow(() -> new EngineException(ExitCode.REPLICATION,
                    "no replication " + names.subscription() + " recorded on " + target.display() + " (pgrelocate replicate --migration "
                            + names.migration() + " makes one)"));
            List<String> lines = new ArrayList<>();
            lines.add("replication " + names.subscription() + ": the " + run.run());
            lines.add(subscription(tgt));
            CatchUpMonitor monitor = new CatchUpMonitor(src, tgt, names, maxLag, clock);
            monitor.sample();
            Pause.sleep(between);
            LagSample lag = monitor.sample();
            lines.add("lag: " + Durations.bytes(lag.lagBytes()) + ", " + seconds(src, lag) + "; source at " + lag.sourceLsn() + ", target confirmed "
                    + lag.confirmedLsn());
            lines.add("apply: " + Durations.bytes((long) lag.applyRate()) + "/s, source writes " + Durations.bytes((long) lag.writeRate())
                    + "/s (over " + Durations.human(between) + "); drain ≈ " + lag.drainEstimate().map(Durations::human).orElse("unknown (nothing applied)")
                    + (lag.ready() ? "; within --max-lag, switch may run" : "; more than --max-lag " + Durations.bytes(maxLag) + ", switch would refuse"));
            lines.add(retained(src));
            List<String> changes = run.sourceSchema().changesTo(SchemaFingerprint.take(src, run.schemaFilter()));
            lines.add(changes.isEmpty() ? "schema: no DDL on the source since replicate"
                    : "schema: DDL on the source since replicate, switch would refuse: " + Lists.some(changes));
            return new Report(List.copyOf(lines), lag, changes);
        }
    }

    private String subscription(Db tgt) {
        return tgt.one("""
                SELECT s.subenabled, count(st.pid) FILTER (WHERE st.relid IS NULL),
                       coalesce(extract(epoch FROM now() - max(st.last_msg_receipt_time)), -1)::bigint
                  FROM pg_subscription s LEFT JOIN pg_stat_subscription st ON st.subid = s.oid
                 WHERE s.subname = ? AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                 GROUP BY s.subenabled""", rs -> "subscription: " + (rs.getBoolean(1) ? "enabled" : "DISABLED") + ", apply worker "
                + (rs.getLong(2) > 0 ? "running, last message " + rs.getLong(3) + " s ago" : "NOT RUNNING (see the target's log)"),
                names.subscription());
    }

    /** The walsender's replay_lag: how long ago the source wrote what the target applied last; none while caught up and idle. */
    private String seconds(Db src, LagSample lag) {
        List<Double> replay = src.list("SELECT extract(epoch FROM replay_lag)::float8 FROM pg_stat_replication WHERE application_name = ?",
                rs -> rs.getObject(1) == null ? null : rs.getDouble(1), names.subscription());
        if (replay.isEmpty()) {
            return "no walsender connected";
        }
        if (lag.lagBytes() == 0 || replay.get(0) == null) {
            return "0 s behind";
        }
        return Durations.human(Duration.ofMillis((long) (replay.get(0) * 1000))) + " behind (replay_lag)";
    }

    private String retained(Db src) {
        return src.one("""
                SELECT pg_current_wal_lsn() - restart_lsn, wal_status, safe_wal_size, current_setting('max_slot_wal_keep_size')
                  FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()""",
                rs -> "slot: retains " + Durations.bytes(rs.getLong(1)) + " of WAL, wal_status " + rs.getString(2)
                        + ("-1".equals(rs.getString(4)) ? ", max_slot_wal_keep_size unlimited (a stalled apply fills the source's disk)"
                        : ", max_slot_wal_keep_size " + rs.getString(4) + ", " + Durations.bytes(rs.getLong(3)) + " left before it is invalidated"),
                names.slot());
    }
}
