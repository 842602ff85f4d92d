package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.CarryOver;
import io.pgrelocate.engine.copy.logical.LargeObjectSync;
import io.pgrelocate.engine.copy.logical.Drain;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.switchover.WindowReport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rollback after the switch, a window as short and as proven as the forward one: freeze the
 * applications → fence the target → drain the reverse stream to the target's final position →
 * carry sequences and large objects back → lift the source's fence → cut the applications back →
 * thaw → drop the reverse stream. The target stays fenced (no split brain) until cleanup or a new switch.
 * <p>
 * Without a running reverse stream (dump, stream, or it stopped) it counts what the target took
 * since the switch ({@link TargetWrites}) and refuses ({@link ExitCode#TARGET_WRITES}), naming it,
 * unless told to discard it.
 * <p>
 * Until the source's fence is lifted, a failure lifts the target's fence and brings the
 * applications back on the target, writable, the reverse stream intact. Once the source's fence is
 * lifted, running rollback again finishes it: after the drain the switch point is recorded anew, so
 * a second run finds a fenced target that took nothing since and goes on.
 */
public final class RollbackWindow {
    /** The applications' side: Kubernetes scales and rewrites settings; local mode has none. */
    public interface Apps {
        Apps NONE = new Apps() {
        };

        /** Stops every writer (on the target). */
        default void freeze() {
        }

        /** Puts back every setting the cutover rewrote: they point at the source again. */
        default void cutBack() {
        }

        /** Brings the applications back on whatever they point at, and waits until they are ready. */
        default void thaw() {
        }

        /** The rollback failed before the source's fence was lifted: the applications come back on the target, as they were. */
        default void backOnTarget() {
        }

        /** Marks a phase of the window ({@link WindowReport}'s names) with the time it was reached. */
        default void reached(String phase) {
        }
    }

    /** What the window did. */
    public record Outcome(WindowReport window, String drained, TargetWrites discarded) {
    }

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final String migration;
    private final ObjectFilter filter;
    private final boolean discardTargetWrites;
    private final Duration drainTimeout;
    private final Consumer<String> out;
    private final Clock clock;
    private final Map<String, Instant> marks = new LinkedHashMap<>();

    public RollbackWindow(ConnectionSpec source, ConnectionSpec target, String migration, ObjectFilter filter,
                          boolean discardTargetWrites, Duration drainTimeout, Consumer<String> out, Clock clock) {
        this.source = source;
        this.target = target;
        this.migration = migration;
        this.filter = filter;
        this.discardTargetWrites = discardTargetWrites;
        this.drainTimeout = drainTimeout;
        this.out = out;
        this.clock = clock;
    }

    /** Whether a rollback of {@code source} is one after the switch: the target recorded a switch point, or the source holds the reverse stream. */
    public static boolean afterSwitch(Db source, Db target, String migration) {
        return ReverseStream.exists(source, migration) || target != null && SwitchPoint.read(target).isPresent();
    }

    /** Refuses, before anything changes, what the window could not finish. */
    public void check() {
        try (Db tgt = Db.connect(target)) {
            Fence.missingPrivilege(tgt).ifPresent(why -> {
                throw new EngineException(ExitCode.FENCE, "rollback after the switch fences the target first, but " + why);
            });
        }
    }

    public Outcome run(Apps apps) {
        ReverseStream reverse = new ReverseStream(source, target, migration, out);
        Fence targetFence = new Fence(out, clock);
        boolean sourceOpen = false;
        String drained = null;
        TargetWrites discarded = null;
        mark(apps, WindowReport.START);
        try (Db tgt = Db.connect(target)) {
            apps.freeze();
            mark(apps, WindowReport.APPS_STOPPED);
            Interruption.checkpoint("the freeze");
            try {
                targetFence.raise(tgt, Set.of(tgt.<Integer>one("SELECT pg_backend_pid()", rs -> rs.getInt(1))));
                mark(apps, WindowReport.FENCED);
                try (Db src = Db.connect(source)) {
                    src.execute("SET default_transaction_read_only = off");  // the fenced source: sequences and large objects are written back
                    Optional<String> stopped = ReverseStream.exists(src, migration) ? reverse.stopped(src, tgt) : Optional.of("no reverse stream");
                    if (stopped.isEmpty()) {
                        Drain.Result d = reverse.drain(tgt, drainTimeout, clock);
                        drained = d.finalLsn();
                        new CarryOver(tgt, src, filter, new LargeObjectSync(), out, clock).run();  // nothing synced before: every large object goes back
                    } else {
                        discarded = refuseOrDiscard(stopped.get(), src, tgt);
                    }
                    mark(apps, WindowReport.SYNCED);
                    Interruption.checkpoint("the drain back");
                    targetFence.confirm(tgt);
                    // the source now holds everything the target took: a second run counts nothing since
                    SwitchPoint.record(tgt, clock.instant(), out);
                    mark(apps, WindowReport.VERIFIED);
                    Interruption.checkpoint("the carry-back");
                    sourceOpen = true;
                    if (new Fence(out, clock).lift(src).isEmpty()) {
                        out.accept("rollback: the source was not fenced");
                    }
                }
            } catch (RuntimeException e) {
                if (!sourceOpen) {
                    throw backOnTarget(e, targetFence, apps);
                }
                throw e;
            }
            mark(apps, WindowReport.UNFENCED);
            apps.cutBack();
            apps.thaw();
            mark(apps, WindowReport.APPS_READY);
            Teardown.Result dropped = reverse.drop();
            if (!dropped.clean()) {
                out.accept("rollback: warning: " + String.join("; ", dropped.problems()) + " — run rollback again to drop it");
            }
            SwitchPoint.clear(tgt);
            out.accept("rollback: the target " + target.display() + " stays fenced (no split brain); pgrelocate rollback --source postgresql://"
                    + target.display() + " lifts it");
        } catch (RuntimeException e) {
            if (sourceOpen) {
                throw new EngineException(e instanceof EngineException ee ? ee.exitCode() : ExitCode.FAILED, e.getMessage()
                        + "; the source is writable again and holds every write the target took: run rollback again to finish", e);
            }
            throw e;
        }
        WindowReport window = WindowReport.of(marks, "target " + target.display() + " fenced").orElseThrow();
        out.accept("rollback window: " + window.writeLine());
        out.accept("rollback window: " + window.appLine());
        return new Outcome(window, drained, discarded);
    }

    /** No reverse stream to drain: what the target took since the switch is lost unless it took nothing, or the user said so. */
    private TargetWrites refuseOrDiscard(String why, Db src, Db tgt) {
        TargetWrites writes = TargetWrites.since(SwitchPoint.read(tgt).orElse(null), src, tgt, filter);
        if (writes.none()) {
            out.accept("rollback: " + why + "; the target took no write since the switch");
            return null;
        }
        if (!discardTargetWrites) {
            throw new EngineException(ExitCode.TARGET_WRITES, "the target took writes since the switch that the source does not have ("
                    + why + "): " + writes.line() + "; rolling back would lose them: bring them over yourself, or pass "
                    + "--discard-target-writes to lose them");
        }
        out.accept("rollback: DISCARDING the target's writes since the switch (--discard-target-writes): " + writes.line());
        return writes;
    }

    /** Before the source's fence is lifted: the applications go back on the target, writable, and the error says so. */
    private EngineException backOnTarget(RuntimeException cause, Fence targetFence, Apps apps) {
        String what = cause.getMessage();
        try (Db fresh = Db.connect(target)) {
            targetFence.lift(fresh);
            apps.backOnTarget();
            what += "; the applications are back on the target " + target.display() + ", writable; the source stays fenced";
        } catch (RuntimeException e) {
            what += "; putting the applications back on the target failed too (" + e.getMessage() + "): pgrelocate thaw, and "
                    + "pgrelocate rollback --source postgresql://" + target.display() + " lifts the target's fence";
        }
        ExitCode code = Interruption.requested() ? ExitCode.INTERRUPTED
                : cause instanceof EngineException ee ? ee.exitCode() : ExitCode.FAILED;
        return new EngineException(code, "rollback after the switch: " + what, cause);
    }

    private void mark(Apps apps, String phase) {
        marks.put(phase, clock.instant());
        try {
            apps.reached(phase);
        } catch (RuntimeException e) {
            // a ledger that cannot take a timestamp must not fail the window
        }
    }
}
