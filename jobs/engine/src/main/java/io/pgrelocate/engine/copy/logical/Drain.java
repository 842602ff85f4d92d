package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The last step of the stream, inside the window: with the source fenced (no more commits), read
 * its final WAL position and wait until the target has applied and flushed it, as the slot's
 * confirmed_flush_lsn says. Every commit before the fence is then on the target.
 */
public final class Drain {
    /** Inside the window: a cheap look at the slot, often, so the drain ends close to when the target has applied. */
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(2);

    /** @param finalLsn the source's position at the fence, now confirmed by the target */
    public record Result(String finalLsn, Duration took) {
    }

    private final Db source;
    private final LogicalNames names;
    private final Clock clock;
    private final Consumer<String> out;

    public Drain(Db source, LogicalNames names, Clock clock, Consumer<String> out) {
        this.source = source;
        this.names = names;
        this.clock = clock;
        this.out = out;
    }

    public Result run(Duration timeout) {
        Instant start = clock.instant();
        String finalLsn = source.text("SELECT pg_current_wal_lsn()::text");
        out.accept("drain: waiting for the target to apply the source's final position " + finalLsn);
        Instant nextReport = start.plus(REPORT_EVERY);
        SlotWatch slot = new SlotWatch(names.slot(), REPORT_EVERY, clock);
        slot.check(source, out);  // an invalidated slot never drains: say so now, not at the timeout
        while (true) {
            long behind = source.list("""
                    SELECT greatest(pg_wal_lsn_diff(?::pg_lsn, confirmed_flush_lsn), 0)::bigint
                      FROM pg_replication_slots WHERE slot_name = ?""", rs -> rs.getLong(1), finalLsn, names.slot())
                    .stream().findFirst().orElseThrow(() -> new EngineException(ExitCode.COPY_FAILED,
                            "drain: replication slot " + names.slot() + " is gone from " + source.spec().display()));
            Instant now = clock.instant();
            if (behind == 0) {
                Duration took = Duration.between(start, now);
                out.accept("drain: target has applied " + finalLsn + " after " + Durations.human(took));
                return new Result(finalLsn, took);
            }
            if (now.isAfter(start.plus(timeout))) {
                throw new EngineException(ExitCode.JOB_UNFINISHED, "drain: the target is still " + Durations.bytes(behind)
                        + " behind the source's final position " + finalLsn + " after " + Durations.human(timeout)
                        + ": check the subscription's apply worker in the target's log (pg_stat_subscription)");
            }
            if (now.isAfter(nextReport)) {
                out.accept("drain: " + Durations.bytes(behind) + " to go");
                slot.check(source, out);
                nextReport = now.plus(REPORT_EVERY);
            }
            Pause.sleep(POLL);
        }
    }
}
