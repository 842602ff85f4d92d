package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.DumpRestore;
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
        Instant started = clock.instant();
        PreflightResult pre = runPreflight();
        if (!pre.passed()) {
            return report("migrate", started, pre, null, null, pre.exitCode(), pre.firstFailure().get().message());
        }
        if (dryRun) {
            out.accept("dry run: preflight passed; nothing was copied");
            return report("migrate --dry-run", started, pre, null, null, ExitCode.OK, null);
        }
        CopyResult copy;
        try {
            copy = new DumpRestore(settings.copy(), out, clock).copy(settings.source(), settings.target(),
                    pre.source().tables(), pre.source().roles());
        } catch (EngineException e) {
            return report("migrate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbException e) {
            return report("migrate", started, pre, null, null, ExitCode.COPY_FAILED, e.getMessage());
        }
        return verifyInto("migrate", started, pre, copy);
    }

    public MigrationReport verify() {
        return verifyInto("verify", clock.instant(), null, null);
    }

    private MigrationReport verifyInto(String command, Instant started, PreflightResult pre, CopyResult copy) {
        try {
            VerifyResult v = new Verifier(settings.copy().filter(), out).verify(settings.source(), settings.target());
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
        pre.checks().forEach(c -> out.accept("preflight: " + (c.passed() ? "ok   " : "FAIL ") + c.name() + ": " + c.message()));
        return pre;
    }

    private MigrationReport report(String command, Instant started, PreflightResult pre, CopyResult copy,
                                   VerifyResult verify, ExitCode code, String error) {
        List<Check> checks = pre == null ? null : pre.checks();
        String sv = pre != null && pre.source() != null ? pre.source().version().text() : null;
        String tv = pre != null && pre.target() != null ? pre.target().version().text() : null;
        return new MigrationReport(command, settings.source().display(), settings.target().display(), started,
                clock.instant(), sv, tv, checks, copy, verify, code == ExitCode.OK ? "SUCCESS" : "FAILED: " + code.meaning(),
                code.code(), error);
    }
}
