package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.CopyStrategies;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.Preflight;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The runbook in code: preflight → copy → verify, each step ending in a report. Nothing is
 * written anywhere until preflight has passed; the source is only ever read.
 */
public final class Migration {
    private final MigrationSettings settings;
    private final Consumer<String> out;
    private final Clock clock;

    public Migration(MigrationSettings settings, Consumer<String> out, Clock clock) {
        this.settings = settings;
        this.out = out;
        this.clock = clock;
    }

    public MigrationReport preflight() {
        Instant started = clock.instant();
        PreflightResult pre = runPreflight();
        return report("preflight", started, pre, null, null, pre.exitCode(), pre.firstFailure().map(Check::message).orElse(null));
    }

    /** Preflight, then (unless {@code dryRun}) copy and verify. */
    public MigrationReport migrate(boolean dryRun) {
        return migrate(dryRun, Downtime.NONE);
    }

    /**
     * Preflight, the downtime's own checks, then (unless {@code dryRun}) stop the writers, copy,
     * verify, and bring the writers back — also when the copy or verify failed.
     */
    public MigrationReport migrate(boolean dryRun, Downtime downtime) {
        Instant started = clock.instant();
        PreflightResult pre = runPreflight();
        if (!pre.passed()) {
            return report("migrate", started, pre, null, null, pre.exitCode(), pre.firstFailure().get().message());
        }
        List<String> plan;
        try {
            plan = downtime.check();
        } catch (EngineException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        }
        if (dryRun) {
            plan.forEach(line -> out.accept("dry run: would freeze " + line));
            out.accept("dry run: preflight passed; nothing was copied" + (plan.isEmpty() ? "" : " and no application was touched"));
            return report("migrate --dry-run", started, pre, null, null, ExitCode.OK, null);
        }
        MigrationReport result;
        try {
            downtime.begin();
            result = copyAndVerify(started, pre, downtime);
        } catch (EngineException e) {
            result = report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        }
        return endDowntime(downtime, result);
    }

    private MigrationReport copyAndVerify(Instant started, PreflightResult pre, Downtime downtime) {
        CopyResult copy;
        try {
            copy = CopyStrategies.bulkCopier(settings.copy(), out, clock).copy(settings.source(), settings.target(),
                    pre.source().tables(), pre.source().roles(), null);
        } catch (EngineException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbException e) {
            return report("migrate", started, pre, null, null, ExitCode.COPY_FAILED, e.getMessage());
        }
        downtime.reached("copied");
        MigrationReport verified = verifyInto("migrate", started, pre, copy);
        if (verified.exitCode() == ExitCode.OK.code()) {
            downtime.reached("verified");
        }
        return verified;
    }

    /** Brings the applications back; a failure to do so outranks every other result. */
    private MigrationReport endDowntime(Downtime downtime, MigrationReport r) {
        boolean succeeded = r.exitCode() == ExitCode.OK.code();
        try {
            downtime.end(succeeded);
        } catch (EngineException e) {
            String error = succeeded ? e.getMessage() : e.getMessage() + " (before that: " + r.error() + ")";
            return withApps(r, downtime.report(), e.exitCode(), error);
        }
        return withApps(r, downtime.report(), ExitCode.of(r.exitCode()), r.error());
    }

    public MigrationReport verify() {
        return verifyInto("verify", clock.instant(), null, null);
    }

    private MigrationReport verifyInto(String command, Instant started, PreflightResult pre, CopyResult copy) {
        try {
            VerifyResult v = new Verifier(settings.copy().filter(), settings.copy().jobs(), out).verify(settings.source(), settings.target());
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

    private PreflightResult runPreflight() {
        out.accept("preflight: checking " + settings.source().display() + " → " + settings.target().display());
        PreflightResult pre = new Preflight(settings.preflightOptions()).run(settings.source(), settings.target());
        pre.checks().forEach(c -> out.accept("preflight: " + (c.passed() ? "ok   " : "FAIL ") + c.line()));
        return pre;
    }

    private MigrationReport report(String command, Instant started, PreflightResult pre, CopyResult copy,
                                   VerifyResult verify, ExitCode code, String error) {
        List<Check> checks = pre == null ? null : pre.checks();
        String sv = pre != null && pre.source() != null ? pre.source().version().text() : null;
        String tv = pre != null && pre.target() != null ? pre.target().version().text() : null;
        return new MigrationReport(command, settings.source().display(), settings.target().display(), started,
                clock.instant(), sv, tv, checks, copy, verify, null, result(code), code.code(), error);
    }

    private MigrationReport withApps(MigrationReport r, Object apps, ExitCode code, String error) {
        return new MigrationReport(r.command(), r.source(), r.target(), r.started(), clock.instant(), r.sourceVersion(),
                r.targetVersion(), r.preflight(), r.copy(), r.verify(), apps, result(code), code.code(), error);
    }

    private static String result(ExitCode code) {
        return code == ExitCode.OK ? "SUCCESS" : "FAILED: " + code.meaning();
    }
}
