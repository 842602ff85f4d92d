package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.common.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the target is behind the source at one moment.
 *
 * @param at             when it was measured
 * @param sourceLsn      the source's current WAL position
 * @param confirmedLsn   what the target has applied and flushed (the slot's confirmed_flush_lsn)
 * @param lagBytes       WAL between the two
 * @param lag            how long ago the source was where the target is now
 * @param applyRate      bytes per second the target confirmed lately
 * @param writeRate      bytes per second the source wrote lately
 * @param applyRunning   the target's apply worker is running (false: it failed, see the target's log)
 * @param ready          lag at or below the migration's maxLag
 * @param openWrites     transactions open on the source database that wrote: their changes reach the target only
 *                       at their commit, however small the lag in bytes looks now
 * @param oldestOpen     how long the oldest of them has been open
 */
public record LagSample(Instant at, String sourceLsn, String confirmedLsn, long lagBytes, Duration lag,
                        double applyRate, double writeRate, boolean applyRunning, boolean ready, int openWrites, Duration oldestOpen) {

    /** How long the drain would take once writes stop, at the recent apply rate; empty while nothing is being applied. */
    public Optional<Duration> drainEstimate() {
        if (lagBytes <= 0) {
            return Optional.of(Duration.ZERO);
        }
        return applyRate <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (lagBytes / applyRate * 1000)));
    }

    /** One log line, e.g. {@code catch-up: lag 1.2 MB (3 s), apply 4.0 MB/s, source writes 1.1 MB/s, drain ≈ 1 s}. */
    public String line() {
        return "catch-up: lag " + Durations.bytes(lagBytes) + " (" + Durations.human(lag) + "), apply "
                + Durations.bytes((long) applyRate) + "/s, source writes " + Durations.bytes((long) writeRate) + "/s, drain ≈ "
                + (openWrites > 0 ? "at least " : "") + drainEstimate().map(Durations::human).orElse("unknown (nothing applied lately)")
                + (openWrites > 0 ? " plus " + openWrites + " transaction(s) open on the source (the oldest for " + Durations.human(oldestOpen)
                        + "), whose changes are sent and applied only at their commit" : "")
                + (applyRunning ? "" : ", APPLY WORKER NOT RUNNING (see the target's log)")
                + (ready ? ", ready to switch" : "");
    }
}
