package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.verify.VerifyMode;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runbook for a MySQL/MariaDB source: preflight → plan → (clean) → tables without secondary
 * indexes or foreign keys → rows by COPY, several tables at once, each followed by its keys, indexes,
 * checks and ANALYZE, and then its verification across engines (overlapping the other tables' copy) →
 * foreign keys → identity positions → the verification's end. Nothing is written before preflight
 * passes. The source is only read; it should be quiet during the copy (tables are read in separate
 * sessions, so there is no single snapshot across tables). The copy itself is {@link MysqlCopy},
 * the same seam ({@link io.pgrelocate.engine.copy.WindowCopy}) the PostgreSQL strategies implement,
 * driven by the same {@link SwitchoverWindow} when there are applications or a switch (the fence:
 * {@link MysqlFence}).
 */
public final class MysqlMigration {
    private final MysqlMigrationSettings settings;
    private final Consumer<String> progress;
    private final Clock clock;

    public MysqlMigration(MysqlMigrationSettings settings, Consumer<String> progress, Clock clock) {
        this.settings = settings;
        this.progress = progress;
        this.clock = clock;
    }

    /** One step of the runbook, given both sessions (opened by preflight) and the checks so far. */
    @FunctionalInterface
    private interface Step {
        MigrationReport run(Instant started, List<Check> checks, MysqlDb source, Db target);
    }

    /** Preflight and plan, then (unless {@code dryRun}) copy and verify; the source only read. */
    public MigrationReport migrate(boolean dryRun) {
        return migrate(dryRun, Applications.NONE);
    }

    /**
     * Preflight and plan, the applications' own checks, then (unless {@code dryRun}) the switchover
     * window with {@link MysqlFence}: freeze → fence → rows, keys, indexes → verify across engines →
     * cutover → thaw. With {@link Applications#NONE} there is no window: copy and verify.
     */
    public MigrationReport migrate(boolean dryRun, Applications apps) {
        String command = dryRun ? "migrate --dry-run" : "migrate";
        return withSessions(command, (started, checks, source, target) -> {
            MysqlSchema schema = MysqlIntrospector.read(source);
            checks.add(MysqlPreflight.readable(source, schema.tables().stream().map(MysqlSchema.Table::name).toList()));
            MysqlPlan plan = MysqlPlanner.plan(schema, source, settings.overrides(), settings.identifierCase(), settings.schema());
            if (settings.writeMapping() != null) {
                TypeOverrides.write(plan, settings.writeMapping());
                progress.accept("mapping written to " + settings.writeMapping() + " (give it back as --mapping for the same target)");
            }
            checks.add(plan.problems().isEmpty() ? Check.pass("type mapping", schema.tables().stream().mapToInt(t -> t.columns().size()).sum()
                    + " columns mapped") : plan.problems().get(0));
            checks.addAll(plan.problems().stream().skip(1).toList());
            List<String> tables = plan.tables().stream().map(TablePlan::qualified).toList();
            checks.add(MysqlPreflight.targetFree(target, settings.schema(), tables, plan.ownedTypes(), settings.clean()));
            checks.add(MysqlPreflight.mayCreate(target, settings.schema()));
            if (checks.stream().anyMatch(c -> !c.passed())) {
                return report(command, started, checks, null, null, plan.notes());
            }
            describe(plan);
            if (apps.hasWindow()) {
                return inWindow(command, started, checks, plan, source, target, apps, dryRun);
            }
            if (dryRun) {
                return report(command, started, checks, null, null, plan.notes());
            }
            return copyAndVerify(command, started, checks, plan, target);
        });
    }

    /**
     * Verify only: compares the source with the tables the plan names in the target schema, however
     * they were made (by an earlier run, or by another tool such as pgloader).
     */
    public MigrationReport verify() {
        return withSessions("verify", (started, checks, source, target) -> {
            MysqlPlan plan = MysqlPlanner.plan(MysqlIntrospector.read(source), source, settings.overrides(),
                    settings.identifierCase(), settings.schema());
            List<CrossVerifier.TableCheck> result = CrossVerifier.check(settings.source(), settings.target(), plan.tables(), settings.jobs());
            return report("verify", started, checks, null, CrossVerifier.result(result), List.of());
        });
    }

    private MigrationReport withSessions(String command, Step step) {
        Instant started = clock.instant();
        List<Check> checks = new ArrayList<>();
        List<MysqlDb> mysql = new ArrayList<>();
        List<Db> pg = new ArrayList<>();
        try {
            checks.add(MysqlPreflight.connectSource(settings.source(), mysql));
            checks.add(MysqlPreflight.connectTarget(settings.target(), pg));
            if (mysql.isEmpty() || pg.isEmpty()) {
                return report(command, started, checks, null, null, List.of());
            }
            return step.run(started, checks, mysql.get(0), pg.get(0));
        } catch (EngineException e) {
            return failed(command, started, checks, e.exitCode(), e.getMessage());
        } catch (DbException e) {
            return failed(command, started, checks, ExitCode.COPY_FAILED, e.getMessage());
        } finally {
            mysql.forEach(MysqlDb::close);
            pg.forEach(Db::close);
        }
    }

    private MigrationReport copyAndVerify(String command, Instant started, List<Check> checks, MysqlPlan plan, Db target) {
        try (CrossVerifier.Run verify = new CrossVerifier.Run(settings.source(), settings.target(), settings.jobs())) {
            MysqlCopy copier = new MysqlCopy(settings, plan, target, progress, clock, verify::start);
            CopyResult copy;
            try {
                copy = copier.withoutWindow();
            } catch (RuntimeException e) {
                throw new EngineException(e instanceof EngineException ee ? ee.exitCode() : ExitCode.COPY_FAILED,
                        e.getMessage() + "; " + copier.afterAbort(), e);
            }
            progress.accept(verifying(plan, verify));
            return report(command, started, checks, copy, CrossVerifier.result(verify.results(plan.tables())), copier.notes());
        }
    }

    private static String verifying(MysqlPlan plan, CrossVerifier.Run verify) {
        return "verifying " + plan.tables().size() + " tables across engines (" + verify.underWay() + " under way since their copy)";
    }

    /** The window around {@link MysqlCopy}; the preflight session ({@code source}) is the tool's own and survives the fence. */
    private MigrationReport inWindow(String command, Instant started, List<Check> checks, MysqlPlan plan, MysqlDb source, Db target,
                                     Applications apps, boolean dryRun) {
        if (!apps.switchesToTarget()) {
            // without a verified-copy marker a later standalone cutover could not see writes made after the copy
            throw new EngineException(ExitCode.BAD_SETTINGS, "a MySQL/MariaDB source switches in the window or not at all: set "
                    + "PGRELOCATE_CUTOVER_HOSTS too (a later standalone cutover cannot check that nothing was written since the copy); "
                    + "nothing was changed");
        }
        List<String> steps = new ArrayList<>(apps.check());
        MysqlFence fence = new MysqlFence(settings.source(), Set.of(Long.parseLong(source.text("SELECT CONNECTION_ID()"))), progress, clock);
        fence.missingPrivilege().ifPresent(why -> {
            throw new EngineException(ExitCode.FENCE, why);
        });
        if (dryRun) {
            steps.addAll(fence.plan());
            steps.add("final sync: the rows of " + plan.tables().size() + " tables with " + settings.jobs() + " jobs, keys and indexes, "
                    + "then the verification across engines before the thaw");
            steps.add("switch: print '" + SwitchoverWindow.TARGET_LIVE + "', thaw the applications on the target, keep the fence until cleanup");
            steps.forEach(line -> progress.accept("dry run: would " + line));
            return report(command, started, checks, null, null, plan.notes());
        }
        SwitchoverWindow.Outcome o;
        CrossVerification verified = new CrossVerification(plan);
        MysqlCopy copier = new MysqlCopy(settings, plan, target, progress, clock, verified.run::start);
        try (verified.run) {
            o = new SwitchoverWindow(settings.source().connection(), settings.target(), VerifyMode.BEFORE_THAW,
                    ObjectFilter.NONE, apps, copier, fence, progress, clock).run(verified);
        }
        if (o.code() != ExitCode.OK) {
            apps.failed(o.error());
        }
        MigrationReport r = report(command, started, checks, o.copy(), verified.result, copier.notes());
        String error = o.error() != null && copier.afterAbort() != null ? o.error() + "; " + copier.afterAbort() : o.error();
        return MigrationReport.of(command, r.source(), r.target(), started, clock.instant(), null, null, r.preflight(), r.copy(),
                r.verify(), apps.report(), o.code(), error, o.window());
    }

    /** The window's proof: the cross-engine verification before the thaw; its result kept for the report. */
    private final class CrossVerification implements SwitchoverWindow.Verification {
        private final MysqlPlan plan;
        /** started by the copy, table by table */
        final CrossVerifier.Run run;
        VerifyResult result;

        CrossVerification(MysqlPlan plan) {
            this.plan = plan;
            this.run = new CrossVerifier.Run(settings.source(), settings.target(), settings.jobs());
        }

        @Override
        public void beforeThaw(VerifyMode mode) {
            progress.accept(verifying(plan, run));
            result = CrossVerifier.result(run.results(plan.tables()));
            if (!result.identical()) {
                throw new EngineException(ExitCode.DIFFERENCES, result.differences().size() + " difference(s) between source and target");
            }
        }

        @Override
        public void afterThaw(String sourceSnapshot, String targetSnapshot) {
            // never called: a MySQL source is always proven before the thaw (no exported snapshots across engines)
        }
    }

    private void describe(MysqlPlan plan) {
        progress.accept("plan: " + plan.tables().size() + " tables into schema " + plan.schema());
        for (TablePlan t : plan.tables()) {
            progress.accept("  " + t.source() + " → " + t.display() + " (~" + t.rowEstimate() + " rows)");
            for (ColumnPlan c : t.columns()) {
                progress.accept("    " + c.source() + " → " + c.target() + " " + c.type().pgType() + "  [" + c.type().rule() + "]");
            }
        }
        plan.notes().forEach(n -> progress.accept("  note: " + n));
    }

    private MigrationReport failed(String command, Instant started, List<Check> checks, ExitCode code, String error) {
        return RunReport.failed(command, settings.source().display(), settings.target().display(), started, clock.instant(),
                checks, null, null, code, error);
    }

    private MigrationReport report(String command, Instant started, List<Check> checks, CopyResult copy, VerifyResult verify,
                                   List<String> notes) {
        return RunReport.of(command, settings.source().display(), settings.target().display(), started, clock.instant(),
                checks, copy, verify, notes);
    }
}
