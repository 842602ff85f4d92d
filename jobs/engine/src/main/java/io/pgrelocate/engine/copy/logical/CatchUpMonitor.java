package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import org.postgresql.replication.LogSequenceNumber;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Measures the catch-up: the slot's confirmed position against the source's current one. Lag in
 * seconds and the rates come from the positions it has seen over the last {@link #WINDOW}, so
 * sample it regularly (every call to {@link #sample()} adds a point).
 */
public final class CatchUpMonitor {
    static final Duration WINDOW = Duration.ofSeconds(30);

    private record Point(Instant at, long source, long confirmed) {
    }

    private final Db source;
    private final Db target;
    private final LogicalNames names;
    private final long maxLag;
    private final Clock clock;
    private final Deque<Point> points = new ArrayDeque<>();
    private final SlotWatch slot;

    public CatchUpMonitor(Db source, Db target, LogicalNames names, long maxLag, Clock clock) {
        this.source = source;
        this.target = target;
        this.names = names;
        this.maxLag = maxLag;
        this.clock = clock;
        this.slot = new SlotWatch(names.slot(), WINDOW, clock);
    }

    public LagSample sample() {
        Point now = source.list("""
                SELECT pg_current_wal_lsn()::text, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?
                """, rs -> new Point(clock.instant(), lsn(rs.getString(1)), lsn(rs.getString(2))), names.slot())
                .stream().findFirst().orElseThrow(() -> new EngineException(ExitCode.COPY_FAILED,
                        "replication slot " + names.slot() + " is gone from " + source.spec().display()));
        points.addLast(now);
        while (points.size() > 2 && points.peekFirst().at().isBefore(now.at().minus(WINDOW))) {
            points.removeFirst();
        }
        Point first = points.peekFirst();
        List<Long> open = source.one("""
                SELECT count(*), coalesce(extract(epoch FROM max(now() - xact_start)) * 1000, 0)::bigint FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL""",
                rs -> List.of(rs.getLong(1), rs.getLong(2)));
        double seconds = Math.max(Duration.between(first.at(), now.at()).toMillis(), 1) / 1000.0;
        long lagBytes = Math.max(0, now.source() - now.confirmed());
        return new LagSample(now.at(), LogSequenceNumber.valueOf(now.source()).asString(),
                LogSequenceNumber.valueOf(now.confirmed()).asString(), lagBytes, lagTime(now),
                first == now ? 0 : (now.confirmed() - first.confirmed()) / seconds,
                first == now ? 0 : (now.source() - first.source()) / seconds,
                applyRunning(), lagBytes <= maxLag, open.get(0).intValue(), Duration.ofMillis(open.get(1)));
    }

    /** Since when the source has been past the position the target confirmed: the oldest point beyond it. */
    private Duration lagTime(Point now) {
        for (Point p : points) {
            if (p.source() > now.confirmed()) {
                return Duration.between(p.at(), now.at());
            }
        }
        return Duration.ZERO;
    }

    private boolean applyRunning() {
        return target.longValue("SELECT count(*) FROM pg_stat_subscription WHERE subname = ? AND relid IS NULL AND pid IS NOT NULL",
                names.subscription()) > 0;
    }

    /**
     * Samples every {@code every}, printing each sample, until the lag is at most maxLag; each
     * sample also runs {@code check} (e.g. the schema fingerprint), whose exception ends the wait.
     */
    public LagSample awaitReady(Duration timeout, Duration every, Consumer<String> out, Runnable check) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            LagSample s;
            try {
                check.run();
                slot.check(source, out);  // an invalidated slot ends the wait: no lag can shrink then
                s = sample();
            } catch (DbException e) {
                // a restarted or unreachable server: the step that failed is the catch-up, not a dump or restore
                throw new EngineException(ExitCode.REPLICATION, "catch-up: lost a server while measuring the lag: " + e.getMessage()
                        + "; nothing was frozen, the source stays writable", e);
            }
            out.accept(s.line());
            if (s.ready()) {
                return s;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new EngineException(ExitCode.JOB_UNFINISHED, "catch-up: lag still " + s.lagBytes()
                        + " bytes after " + timeout + " (max " + maxLag + "): " + s.line());
            }
            Pause.sleep(every);
        }
    }

    static long lsn(String text) {
        return text == null ? 0 : LogSequenceNumber.valueOf(text).asLong();
    }
}
