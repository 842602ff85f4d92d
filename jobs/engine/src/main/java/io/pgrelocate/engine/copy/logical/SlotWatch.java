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
 * Watches this run's slot while the catch-up and the drain wait on it: an invalidated slot
 * ({@code wal_status lost}) ends the run with {@link ExitCode#REPLICATION} and the fix, since no
 * wait can bring it back; a slot past its limit ({@code unreserved}) and retained WAL that grows
 * while the subscriber has confirmed nothing for {@code stallAfter} (shorter is one large
 * transaction being applied) are warning lines, each said again at most every {@link #REPEAT}.
 * Every warning line starts with {@link #WARNING}.
 */
final class SlotWatch {
    static final String WARNING = SlotHealth.WARNING;
    static final Duration REPEAT = Duration.ofMinutes(1);

    private final String slot;
    private final Duration stallAfter;
    private final Clock clock;
    private SlotHealth last;
    private Instant stalledSince;
    private long retainedAtStall;
    private Instant nextUnreservedWarning = Instant.MIN;
    private Instant nextStallWarning = Instant.MIN;

    SlotWatch(String slot, Duration stallAfter, Clock clock) {
        this.slot = slot;
        this.stallAfter = stallAfter;
        this.clock = clock;
    }

    /** Reads the slot on {@code source} once; throws when it is lost, prints warnings to {@code out}; the reading, if the slot exists. */
    SlotHealth check(Db source, Consumer<String> out) {
        SlotHealth now = SlotHealth.read(source, slot).orElse(null);
        if (now == null) {
            return null;  // a vanished slot is the caller's finding (it names the step)
        }
        if (now.lost()) {
            throw new EngineException(ExitCode.REPLICATION, "replication slot " + slot + " on " + source.spec().display()
                    + " was invalidated (wal_status lost): it kept more WAL than " + SlotHealth.limitText(now.keepLimit())
                    + " allows, so the source removed changes the target had not applied, and the target can never catch up."
                    + " Fix: pgrelocate rollback (drops the subscription, slot and publication where the run could not), then run the"
                    + " migration again from the start, with a larger max_slot_wal_keep_size or a target that keeps up");
        }
        Instant at = clock.instant();
        if (now.unreserved() && !at.isBefore(nextUnreservedWarning)) {
            out.accept(WARNING + now.line() + ": past " + SlotHealth.limitText(now.keepLimit()) + "; the source's next checkpoint"
                    + " invalidates it unless the target catches up first, and the migration must then start over");
            nextUnreservedWarning = at.plus(REPEAT);
        }
        stall(now, at, out);
        last = now;
        return now;
    }

    /** Retained WAL growing while the confirmed position stands still: the apply is stalled and the source pays for it. */
    private void stall(SlotHealth now, Instant at, Consumer<String> out) {
        boolean stalled = last != null && now.confirmedLsn() == last.confirmedLsn() && now.retainedBytes() > last.retainedBytes();
        if (!stalled) {
            if (last == null || now.confirmedLsn() != last.confirmedLsn()) {
                stalledSince = null;
            }
            return;
        }
        if (stalledSince == null) {
            stalledSince = at;
            retainedAtStall = last.retainedBytes();
        }
        if (!at.isBefore(stalledSince.plus(stallAfter)) && !at.isBefore(nextStallWarning)) {
            out.accept(WARNING + now.line() + ", " + Durations.bytes(now.retainedBytes() - retainedAtStall) + " more than "
                    + Durations.human(Duration.between(stalledSince, at)) + " ago, while the target applied nothing: check the"
                    + " subscription's apply worker (pg_stat_subscription, the target's log)" + (now.keepLimit() != null && now.keepLimit() < 0
                    ? "; with no max_slot_wal_keep_size this grows until the source's volume is full" : ""));
            nextStallWarning = at.plus(REPEAT);
        }
    }
}
