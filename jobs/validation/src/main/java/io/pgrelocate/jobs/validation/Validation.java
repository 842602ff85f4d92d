package io.pgrelocate.jobs.validation;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.baseline.BaselineResult;
import io.pgrelocate.engine.baseline.PerformanceBaseline;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.EndpointChecks;
import io.pgrelocate.engine.checks.ExtensionCheck;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.integrity.ForeignKeyOrphans;
import io.pgrelocate.engine.integrity.ReferentialIntegrity;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.roles.AppLogins;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Is the migrated target sound and fit to serve? Before a switch, the engine's full verify against
 * the source; after one ({@link #afterSwitch}), the target against the switch point — the fenced
 * source, which no one writes since — rows aside, because the applications write on the target
 * now. Then on the target: its endpoints (TLS, certificate, read-only endpoint), its extensions,
 * every foreign key's orphan rows, the applications' logins (PGRELOCATE_APP_LOGINS) and a
 * performance baseline against the source. Read-only on both sides.
 */
public final class Validation {
    private final MigrationSettings settings;
    private final ConnectionSpec readOnly;
    private final boolean requireTls;
    private final Double perfMaxRatio;
    private final Consumer<String> out;
    private final Clock clock;
    private final boolean afterSwitch;

    /**
     * @param readOnly     the target's read-only endpoint, or null
     * @param perfMaxRatio the target/source ratio above which the baseline fails, or null
     */
    public Validation(MigrationSettings settings, ConnectionSpec readOnly, boolean requireTls, Double perfMaxRatio,
                      Consumer<String> out, Clock clock) {
        this(settings, readOnly, requireTls, perfMaxRatio, out, clock, false);
    }

    private Validation(MigrationSettings settings, ConnectionSpec readOnly, boolean requireTls, Double perfMaxRatio,
                       Consumer<String> out, Clock clock, boolean afterSwitch) {
        this.afterSwitch = afterSwitch;
        this.settings = settings;
        this.readOnly = readOnly;
        this.requireTls = requireTls;
        this.perfMaxRatio = perfMaxRatio;
        this.out = out;
        this.clock = clock;
    }

    /** The same validation of a target the applications already write on: against the switch point, not the source's rows. */
    public Validation afterSwitch(boolean switched) {
        return new Validation(settings, readOnly, requireTls, perfMaxRatio, out, clock, switched);
    }

    public ValidationReport run() {
        Migration migration = new Migration(settings, out, clock);
        MigrationReport verify = afterSwitch ? migration.verifyAfterSwitch() : migration.verify();
        if (verify.exitCode() != ExitCode.OK.code() && verify.exitCode() != ExitCode.DIFFERENCES.code()) {
            // Verify could not read both sides: the checks below would fail the same way.
            return new ValidationReport(verify, List.of(), null, null,
                    Verdict.of(verify.exitCode(), verify.result(), verify.error(), List.of()));
        }
        List<CheckResult> checks = new ArrayList<>(new EndpointChecks(requireTls, out).check(settings.target(), readOnly));
        List<ForeignKeyOrphans> keys = null;
        BaselineResult baseline = null;
        ObjectFilter filter = settings.copy().filter();
        try (Db source = Db.connect(settings.source()); Db target = Db.connect(settings.target())) {
            Introspector sourceIn = new Introspector(source, filter);
            checks.add(ExtensionCheck.compare(sourceIn.installedExtensions(), new Introspector(target, filter).installedExtensions()));
            List<TableInfo> tables = sourceIn.tables();
            keys = new ReferentialIntegrity(filter, out).check(target);
            checks.add(ReferentialIntegrity.verdict(keys));
            checks.addAll(appLogins());
            baseline = new PerformanceBaseline(out).measure(settings.source(), settings.target(), tables, perfMaxRatio);
            checks.add(baseline.verdict());
        } catch (DbException e) {
            checks.add(CheckResult.failed("validation", ExitCode.FAILED, "a check could not finish: " + e.getMessage()));
        }
        return new ValidationReport(verify, checks, keys, baseline,
                Verdict.of(verify.exitCode(), verify.result(), verify.error(), checks));
    }

    /** Each application's own login on the target, and a read of what its role may read on the source. */
    private List<CheckResult> appLogins() {
        return new AppLogins(settings.source(), settings.copy().filter()).prove(settings.appLogins()).stream()
                .map(r -> r.passed() ? CheckResult.ok("app " + r.app(), r.line())
                        : CheckResult.failed("app " + r.app(), ExitCode.CHECK_FAILED, r.line()))
                .toList();
    }
}
