package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.CopyPlan;
import io.pgrelocate.engine.preflight.Preflight;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.roles.AppLogins;
import io.pgrelocate.engine.verify.SourceDigests;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.switchover.SequenceCheck;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.switchover.SchemaHook;
import io.pgrelocate.engine.verify.VerifyMode;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.logical.SlotHealth;
import io.pgrelocate.engine.switchover.WindowReport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The runbook in code: preflight → (the switchover window: freeze → fence → copy → verify →
 * cutover → thaw), each step ending in a report. Nothing is written anywhere until preflight and
 * the applications' checks have passed; the source is only read, except for the fence.
 */
public final class Migration implements Runbook {
    private final MigrationSettings settings;
    private final Consumer<String> out;
    private final Clock clock;

    /** {@code switch}: the window's copy continues a {@code replicate} run's replication instead of making its own. */
    private final boolean continuing;
    /** {@code switch --at}: when the window opens (null: now). */
    private final Instant switchAt;

    public Migration(MigrationSettings settings, Consumer<String> out, Clock clock) {
        this(settings, out, clock, false, null);
    }

    private Migration(MigrationSettings settings, Consumer<String> out, Clock clock, boolean continuing, Instant switchAt) {
        this.settings = settings;
        this.out = out;
        this.clock = clock;
        this.continuing = continuing;
        this.switchAt = switchAt;
    }

    @Override
    public MigrationReport replicate(boolean dryRun, boolean detach) {
        Migration logical = new Migration(logicalOnly(settings.allowNonEmpty()), out, clock);
        return new Replicate(logical, logical.settings, out, clock).run(dryRun, detach);
    }

    @Override
    public MigrationReport abortReplication(boolean dryRun) {
        Instant started = clock.instant();
        LogicalNames names = LogicalNames.of(settings.logical().migration());
        if (dryRun) {
            out.accept("dry run: would drop subscription " + names.subscription() + " and the run's record on " + settings.target().display()
                    + ", then replication slot and publication " + names.slot() + " on " + settings.source().display() + "; the copied rows stay");
            return report("abort --dry-run", started, null, null, null, ExitCode.OK, null);
        }
        Teardown.Result r = new Teardown(settings.source(), settings.target(), names, out).run();
        return report("abort", started, null, null, null, r.clean() ? ExitCode.OK : ExitCode.REPLICATION,
                r.clean() ? null : "abort left " + String.join("; ", r.problems()));
    }

    /** The window with the preflight and the applications' checks as {@code migrate}'s; the copy is the running replication. */
    @Override
    public MigrationReport switchOver(boolean dryRun, Applications downtime, Instant at) {
        // the target holds the copy replicate made
        return new Migration(logicalOnly(true), out, clock, true, at).migrate(dryRun, downtime);
    }

    /** These settings with strategy logical, whatever was asked (the phases have no other: no room for a dump is checked). */
    private MigrationSettings logicalOnly(boolean allowNonEmpty) {
        return new MigrationSettings(settings.source(), settings.target(), settings.copy().withStrategy(Strategy.LOGICAL), allowNonEmpty,
                settings.verify(), settings.schemaHook(), settings.logical(), settings.appLogins());
    }

    @Override
    public MigrationReport preflight() {
        Instant started = clock.instant();
        PreflightResult pre = runPreflight();
        return report("preflight", started, pre, null, null, pre.exitCode(), pre.firstFailure().map(Check::message).orElse(null));
    }

    /** Preflight, then (unless {@code dryRun}) copy and verify. */
    public MigrationReport migrate(boolean dryRun) {
        return migrate(dryRun, Applications.NONE);
    }

    /**
     * Preflight, the applications' own checks, then (unless {@code dryRun}) the switchover window:
     * freeze → fence → final sync → verify → cutover → thaw ({@link SwitchoverWindow}). With
     * {@link Applications#NONE} there is no window: copy and verify, the source only read.
     */
    @Override
    public MigrationReport migrate(boolean dryRun, Applications downtime) {
        Instant started = clock.instant();
        PreflightResult pre = runPreflight();
        if (!pre.passed()) {
            return report("migrate", started, pre, null, null, pre.exitCode(), pre.firstFailure().get().message());
        }
        List<String> plan;
        WindowCopy copy;
        try {
            plan = new ArrayList<>(downtime.check());
            copy = continuing ? Strategies.logical(settings, List.of(), List.of(), slotWarningsTo(downtime), clock).continuing(switchAt)
                    : Strategies.of(settings, pre.source().tables(), pre.source().roles(), slotWarningsTo(downtime), clock);
            if (downtime.hasWindow()) {
                plan.addAll(windowPlan(downtime, copy));
            }
        } catch (EngineException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbConnectException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        }
        if (dryRun) {
            CopyPlan.lines(pre.source(), settings.copy().filter(), copy.plannedCommands(settings.target()), settings.target())
                    .forEach(line -> out.accept("dry run: " + line));
            plan.forEach(line -> out.accept("dry run: would " + line));
            out.accept("dry run: preflight passed; nothing was copied" + (downtime.hasWindow() ? ", fenced" : "")
                    + (plan.isEmpty() ? "" : " and no application was touched"));
            return report("migrate --dry-run", started, pre, null, null, ExitCode.OK, null);
        }
        if (!downtime.hasWindow()) {
            return copyAndVerify(started, pre, copy);
        }
        WindowVerification verified = new WindowVerification(started, pre, downtime, copy.sourceDigests());
        SwitchoverWindow.Outcome o = new SwitchoverWindow(settings.source(), settings.target(), verifyMode(copy), settings.copy().filter(),
                downtime, copy, out, clock).withHook(hook()).run(verified);
        MigrationReport r = report("migrate", started, pre, o.copy(), verified.result, o.code(), o.error());
        if (o.code() != ExitCode.OK) {
            downtime.failed(o.error());
        }
        return withApps(r, downtime.report(), o.window(), o.code(), o.error());
    }

    /** The run's output, whose warnings about the replication slot also go where the applications' operators look. */
    private Consumer<String> slotWarningsTo(Applications downtime) {
        return line -> {
            out.accept(line);
            if (line.startsWith(SlotHealth.WARNING)) {
                downtime.warning(SlotHealth.EVENT_REASON, line.substring(SlotHealth.WARNING.length()));
            }
        };
    }

    /** The window's steps after the applications' own, for the plan and the dry run. Reads only. */
    private List<String> windowPlan(Applications downtime, WindowCopy copy) {
        try (Db db = Db.connect(settings.source())) {
            Fence.missingPrivilege(db).ifPresent(why -> {
                throw new EngineException(ExitCode.FENCE, why);
            });
            List<String> plan = new ArrayList<>(Fence.plan(db));
            boolean atSwitch = downtime.switchesToTarget() && verifyMode(copy) == VerifyMode.AT_SWITCH;
            plan.add("final sync: " + copy.describe(settings.copy().jobs()) + ", then "
                    + (atSwitch ? "the sequences before the thaw, row counts and content digests after it in the switch point's snapshots "
                    + "(--verify at-switch)" : "the full verification before the thaw"));
            plan.addAll(copy.windowWork(db));
            if (hook() != null) {
                plan.add(downtime.switchesToTarget() ? "run the schema-migration hook " + hook().describe() + " against the target"
                        : "skip the schema-migration hook: the applications go back onto the source");
            }
            plan.add(downtime.switchesToTarget()
                    ? "switch: print '" + SwitchoverWindow.TARGET_LIVE + "', thaw the applications on the target, keep the fence until cleanup"
                    : "lift the fence, record the verified-copy marker, thaw the applications on the source (a later cutover checks the marker)");
            return plan;
        }
    }

    /** The window's proof of the copy; its result is kept for the report whether it passed or not. */
    private final class WindowVerification implements SwitchoverWindow.Verification {
        private final Instant started;
        private final PreflightResult pre;
        private final Applications apps;
        private final SourceDigests digests;
        VerifyResult result;

        WindowVerification(Instant started, PreflightResult pre, Applications apps, SourceDigests digests) {
            this.digests = digests;
            this.started = started;
            this.pre = pre;
            this.apps = apps;
        }

        @Override
        public void beforeThaw(VerifyMode mode) {
            verifyBeforeThaw(mode);
        }

        @Override
        public void afterCutover() {
            if (!settings.appLogins().isEmpty()) {
                // the applications' own logins, for real, on the target as the hook left it, while a failure still
                // puts them back on the source
                new AppLogins(settings.source(), settings.copy().filter()).proveOrThrow(settings.appLogins());
                apps.reached("apps-logins-proven");
                out.accept("window: every application logs in on the target and reads what it read on the source");
            }
        }

        private void verifyBeforeThaw(VerifyMode mode) {
            if (mode == VerifyMode.BEFORE_THAW) {
                check(verifyInto("migrate", started, pre, null, verifier().withSourceDigests(digests)), "");
                return;
            }
            List<Difference> differences;
            try (Db s = Db.connect(settings.source()); Db t = Db.connect(settings.target())) {
                differences = new SequenceCheck(settings.copy().filter()).compare(s, t);
            }
            if (!differences.isEmpty()) {
                result = new VerifyResult(0, 0, 0, 0, java.util.Map.of(), differences, List.of("sequences only (--verify at-switch)"),
                        new java.util.TreeMap<>());
                throw new EngineException(ExitCode.DIFFERENCES, differences.size() + " difference(s) in sequences before the thaw");
            }
            out.accept("verify: sequences match; row counts and content digests follow after the thaw, in the switch point's snapshots");
        }

        @Override
        public void afterThaw(String sourceSnapshot, String targetSnapshot) {
            check(verifyInto("migrate", started, pre, null, verifier().withSourceDigests(digests).inSnapshots(sourceSnapshot, targetSnapshot)),
                    " AFTER THE SWITCH: the applications already write to the target. Rolling back (pgrelocate rollback "
                            + "--source postgresql://" + settings.source().display() + " --target postgresql://" + settings.target().display()
                            + ") puts them back on the source with every write made on the target since the switch when a reverse stream"
                            + " (logical) carried them, and refuses to lose them otherwise");
        }

        private void check(MigrationReport r, String consequence) {
            result = r.verify();
            if (r.exitCode() != ExitCode.OK.code()) {
                if (r.exitCode() == ExitCode.INTERRUPTED.code()) {
                    // a stop is no finding: the proof is unfinished, not failed
                    out.accept("verify: interrupted" + (consequence.isEmpty() ? "" : " after the switch: the target is live and the source "
                            + "stays fenced; pgrelocate verify finishes the proof"));
                } else if (!consequence.isEmpty()) {
                    out.accept("!!! VERIFY FOUND " + r.error().toUpperCase(java.util.Locale.ROOT) + consequence);
                }
                throw new EngineException(ExitCode.of(r.exitCode()), r.error() + consequence);
            }
        }
    }

    /** No window: the copy runs while the source stays writable, then the verification; a copy that needs a window refuses. */
    private MigrationReport copyAndVerify(Instant started, PreflightResult pre, WindowCopy copy) {
        if (copy.needsWindow()) {
            // logical copies while the applications run and only drains in a window: without one it is a mere dump
            return report("migrate", started, pre, null, null, ExitCode.BAD_SETTINGS, "strategy " + copy.name() + " runs in the switchover window: "
                    + "add --switchover (the migration Job: set PGRELOCATE_WORKLOADS or PGRELOCATE_CUTOVER_HOSTS); nothing was copied");
        }
        CopyResult copied;
        try {
            copied = copy.withoutWindow();
        } catch (EngineException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbException e) {
            return report("migrate", started, pre, null, null, ExitCode.COPY_FAILED, e.getMessage());
        }
        return verifyInto("migrate", started, pre, copied, verifier().withSourceDigests(copy.sourceDigests()));
    }

    /** The operator's verify mode, else the strategy's own. */
    private VerifyMode verifyMode(WindowCopy copy) {
        return settings.verify() != null ? settings.verify() : copy.defaultVerify();
    }

    private SchemaHook hook() {
        return settings.schemaHook() == null ? null : new SchemaHook(settings.schemaHook(), settings.copy().workDir(), out);
    }

    /** As many sessions per side as the copy had workers. */
    private Verifier verifier() {
        return new Verifier(settings.copy().filter(), settings.copy().jobs(), out).comparingPrivileges(settings.copy().keepOwnership());
    }

    @Override
    public MigrationReport verify() {
        return verifyInto("verify", clock.instant(), null, null, verifier());
    }

    /** After a switch: the target against the switch point (the fenced source), rows aside ({@link Verifier#afterSwitch}). */
    public MigrationReport verifyAfterSwitch() {
        return verifyInto("verify after the switch", clock.instant(), null, null, verifier().afterSwitch());
    }

    private MigrationReport verifyInto(String command, Instant started, PreflightResult pre, CopyResult copy, Verifier verifier) {
        try {
            Interruption.checkpoint("verify");
            VerifyResult v = verifier.verify(settings.source(), settings.target());
            ExitCode code = v.identical() ? ExitCode.OK : ExitCode.DIFFERENCES;
            return report(command, started, pre, copy, v, code,
                    v.identical() ? null : v.differences().size() + " difference(s) between source and target");
        } catch (EngineException e) {
            return report(command, started, pre, copy, null, e.exitCode(), e.getMessage());
        } catch (DbConnectException e) {
            return report(command, started, pre, copy, null, e.exitCode(), "verification failed: " + e.getMessage());
        } catch (DbException e) {
            return report(command, started, pre, copy, null, ExitCode.FAILED, "verification failed: " + e.getMessage());
        }
    }

    PreflightResult runPreflight() {
        out.accept("preflight: checking " + settings.source().display() + " → " + settings.target().display());
        // what preflight checks depends on the strategy (room in the work directory for a dump): ask it, not its name
        boolean dataOnDisk = Strategies.of(settings, List.of(), List.of(), line -> { }, clock).writesToDisk();
        PreflightResult pre = new Preflight(settings.preflightOptions(dataOnDisk)).run(settings.source(), settings.target());
        pre.checks().forEach(c -> out.accept(c.progressLine()));
        return pre;
    }

    MigrationReport report(String command, Instant started, PreflightResult pre, CopyResult copy,
                           VerifyResult verify, ExitCode code, String error) {
        if (code != ExitCode.OK && code != ExitCode.INTERRUPTED && Interruption.requested()) {
            // the step failed because the run was stopped under it (a connection cut, a tool killed)
            error = "interrupted: " + error;
            code = ExitCode.INTERRUPTED;
        }
        List<Check> checks = pre == null ? null : pre.checks();
        String sv = pre != null && pre.source() != null ? pre.source().version().text() : null;
        String tv = pre != null && pre.target() != null ? pre.target().version().text() : null;
        return MigrationReport.of(command, settings.source().display(), settings.target().display(), started,
                clock.instant(), sv, tv, checks, copy, verify, null, code, error, null);
    }

    private MigrationReport withApps(MigrationReport r, ApplicationsReport apps, WindowReport window, ExitCode code, String error) {
        return MigrationReport.of(r.command(), r.source(), r.target(), r.started(), clock.instant(), r.sourceVersion(),
                r.targetVersion(), r.preflight(), r.copy(), r.verify(), apps, code, error, window);
    }
}
