package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.verify.VerifyMode;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.rollback.SwitchPoint;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * One switchover window: freeze → fence → final sync → verify → (the applications' schema-migration
 * hook) → cutover → thaw, so the applications
 * come back already pointing at the target and no write can reach the source after the fence.
 * Without a switch the window ends fence lifted, applications back on the source, and the
 * verified-copy marker recorded. Every exit path before the target went live — a failure, a stop
 * request — lifts the fence and brings the applications back on the source; once the target is live
 * the fence stays (no split brain) until cleanup or rollback.
 */
public final class SwitchoverWindow {
    /** Printed the moment the target may take writes; scripts wait for this exact line. */
    public static final String TARGET_LIVE = "switchover: target is live";

    /** The runbook's verification; each step throws {@link EngineException} when it did not prove the copy. */
    public interface Verification {
        /** Inside the window: the full proof ({@code before-thaw}), or the sequences only ({@code at-switch}: nothing that reads rows). */
        void beforeThaw(VerifyMode mode);

        /** {@code at-switch} only, the applications already on the target: the full proof (row counts, digests) inside the switch point's snapshots. */
        void afterThaw(String sourceSnapshot, String targetSnapshot);

        /** The applications' settings point at the target, they are still stopped: a failure here puts them back on the source. */
        default void afterCutover() {
        }
    }

    /** What the window did: the copy (null when it never ran), the figures, the result. */
    public record Outcome(CopyResult copy, WindowReport window, ExitCode code, String error) {
    }

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final VerifyMode verifyMode;
    private final ObjectFilter filter;
    private final Applications apps;
    private final WindowCopy copy;
    private final SourceFence fence;
    private final Consumer<String> out;
    private final Clock clock;

    /** A PostgreSQL source, fenced by {@link Fence}. */
    public SwitchoverWindow(ConnectionSpec source, ConnectionSpec target, VerifyMode verifyMode, ObjectFilter filter, Applications apps,
                            WindowCopy copy, Consumer<String> out, Clock clock) {
        this(source, target, verifyMode, filter, apps, copy, new PostgresFence(source, out, clock), out, clock);
    }

    /** Any source behind {@code fence}; {@code source} is only read for {@link VerifyMode#AT_SWITCH}'s snapshots. */
    public SwitchoverWindow(ConnectionSpec source, ConnectionSpec target, VerifyMode verifyMode, ObjectFilter filter, Applications apps,
                            WindowCopy copy, SourceFence fence, Consumer<String> out, Clock clock) {
        this.source = source;
        this.fence = fence;
        this.target = target;
        // without a switch the applications go back onto the source: nothing may be proven after that
        this.verifyMode = apps.switchesToTarget() ? verifyMode : VerifyMode.BEFORE_THAW;
        this.filter = filter;
        this.apps = apps;
        this.copy = copy;
        this.out = out;
        this.clock = clock;
    }

    private SchemaHook hook;

    /** Runs {@code hook} on the target after the verification, before the applications come back on it. */
    public SwitchoverWindow withHook(SchemaHook hook) {
        this.hook = hook;
        return this;
    }

    public Outcome run(Verification verification) {
        WindowTimer timer = new WindowTimer(apps::reached, clock);
        CopyResult copied = null;
        String fenceSummary = null;
        boolean live = false;
        boolean raising = false;
        SnapshotHold[] held = new SnapshotHold[2];
        try {
            FenceRecord.warmUp();
            copy.beforeWindow();
            Interruption.checkpoint("the catch-up");
            timer.mark(WindowReport.START);
            apps.freeze();
            timer.mark(WindowReport.APPS_STOPPED);
            Interruption.checkpoint("the freeze");
            raising = true;
            SourceFence.Raised raised = fence.raise();
            fenceSummary = raised.summary() + (apps.switchesToTarget() ? "; " + fence.stillPossible() : "");
            if (raised.record() != null) {
                apps.fence(raised.record());
            }
            FencedSource fenced = new FencedSource(clock.instant(), fence.position());
            timer.mark(WindowReport.FENCED);
            Interruption.checkpoint("the fence");
            out.accept("window: the source is fenced at " + fenced.finalLsn() + "; final sync");
            copied = copy.inWindow(fenced);
            timer.mark(WindowReport.SYNCED);
            verification.beforeThaw(verifyMode);
            timer.mark(WindowReport.VERIFIED);
            Interruption.checkpoint("the verification");
            if (apps.switchesToTarget()) {
                if (verifyMode == VerifyMode.AT_SWITCH) {
                    held[0] = SnapshotHold.of(source);
                    held[1] = SnapshotHold.of(target);
                }
                if (hook != null) {
                    hook.run(target);
                    timer.mark(WindowReport.HOOKED);
                }
                fence.confirm();
                apps.cutOver();
                Interruption.checkpoint("the cutover");
                verification.afterCutover();
                live = true;
                Interruption.targetLive(true);
                timer.mark(WindowReport.SWITCHED);
                copy.atSwitchPoint();
                SwitchPoint.record(target, clock.instant(), out);
                out.accept(TARGET_LIVE);
                finishCopy();
                copy.afterSwitch();
                apps.thaw();
                timer.mark(WindowReport.APPS_READY);
                out.accept("fence: kept on " + source.display() + " so nothing writes there again; cleanup removes the source, "
                        + fence.liftCommand() + " lifts the fence");
                if (verifyMode == VerifyMode.AT_SWITCH) {
                    verification.afterThaw(held[0].snapshot(), held[1].snapshot());
                }
            } else {
                apps.verifiedCopy(fence.marker(filter, clock.instant()));
                fence.lift();
                apps.fence(null);
                timer.mark(WindowReport.UNFENCED);
                finishCopy();
                apps.thaw();
                timer.mark(WindowReport.APPS_READY);
            }
            return new Outcome(copied, timer.report(fenceSummary).orElse(null), ExitCode.OK, null);
        } catch (RuntimeException e) {
            Failure failure = new Failure(Interruption.requested() ? ExitCode.INTERRUPTED : codeOf(e), e.getMessage());
            if (live) {
                failure = new Failure(failure.code(), failure.error() + "; the target is live and the source stays fenced (no split brain): "
                        + "pgrelocate rollback puts the applications back on the source");
            } else {
                copy.abort();
                failure = undo(raising, failure);
            }
            return new Outcome(copied, timer.report(fenceSummary).orElse(null), failure.code(), failure.error());
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {held[0], held[1], fence}) {
                close(c);
            }
        }
    }

    private record Failure(ExitCode code, String error) {
    }

    /**
     * Lifts the fence first (the applications must find a writable source), in a session of its own
     * (the window's may be what failed), then brings the applications back, whatever the lift did.
     */
    private Failure undo(boolean mayBeFenced, Failure failure) {
        Failure result = failure;
        if (mayBeFenced) {
            try {
                fence.lift().ifPresent(r -> apps.fence(null));
            } catch (RuntimeException e) {
                result = new Failure(ExitCode.FENCE, result.error() + "; the source is still fenced (" + e.getMessage()
                        + "): lift it with " + fence.liftCommand());
            }
        }
        try {
            apps.undo();
        } catch (EngineException e) {
            result = new Failure(e.exitCode(), e.getMessage() + " (before that: " + result.error() + ")");
        }
        return result;
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // a session that already failed has nothing left to release
        }
    }

    private void finishCopy() {
        try {
            copy.finish();
        } catch (RuntimeException e) {
            out.accept("window: warning: cleaning up after the copy failed: " + e.getMessage());
        }
    }

    private static ExitCode codeOf(RuntimeException e) {
        if (e instanceof EngineException ee) {
            return ee.exitCode();
        }
        if (e instanceof DbConnectException dc) {
            return dc.exitCode();
        }
        return e instanceof DbException ? ExitCode.COPY_FAILED : ExitCode.FAILED;
    }
}
