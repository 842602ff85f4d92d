package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.merge.MergePlan.TargetTable;
import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.MysqlPreflight;
import io.pgrelocate.engine.mysql.OwnedObjects;
import io.pgrelocate.engine.mysql.RunReport;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.VerifyResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runbook of a merge: sources' logins → mapping checked against the sources → conflicts
 * scanned → target free (or --clean drops exactly the mapped tables) → [dry run stops here with
 * the plan] → load → verify against the sources under the policies.
 */
public final class MergeRun {
    private final MergeMapping mapping;
    private final ConnectionSpec target;
    private final PasswordSource passwords;
    private final Consumer<String> progress;
    private final Clock clock;

    public MergeRun(MergeMapping mapping, ConnectionSpec target, PasswordSource passwords, Consumer<String> progress, Clock clock) {
        this.mapping = mapping;
        this.target = target;
        this.passwords = passwords;
        this.progress = progress;
        this.clock = clock;
    }

    public MigrationReport merge(boolean dryRun, boolean clean) {
        Instant started = clock.instant();
        String command = "merge" + (dryRun ? " --dry-run" : "") + (clean ? " --clean" : "");
        List<Check> checks = new ArrayList<>();
        List<Db> targets = new ArrayList<>();
        try (MergeSources sources = MergeSources.open(mapping, passwords, checks)) {
            checks.add(MysqlPreflight.connectTarget(target, targets));
            if (!sources.complete(mapping) || targets.isEmpty()) {
                return report(command, started, sources, checks, null, null, List.of());
            }
            Db db = targets.get(0);
            MergePlan plan = MergePlanner.plan(mapping, sources);
            checks.addAll(plan.problems());
            if (!plan.problems().isEmpty()) {
                return report(command, started, sources, checks, null, null, plan.notes());
            }
            checks.add(Check.pass("mapping", plan.tables().size() + " tables, every named table and column found"));
            List<String> notes = new ArrayList<>(plan.notes());
            List<ConflictScan.Result> scans = new ArrayList<>();
            for (TargetTable t : plan.tables()) {
                ConflictScan.Result scan = ConflictScan.scan(sources, t);
                scans.add(scan);
                if (scan.conflicts() > 0 && t.policy() == MergeMapping.Policy.FAIL) {
                    checks.add(Check.fail("conflicts", ExitCode.CHECK_FAILED, "table " + t.display() + ": " + scan.conflicts()
                            + " keys come from more than one row " + scan.listed() + ": resolve them in the sources, or set onConflict: first or last"));
                }
            }
            List<String> tables = plan.tables().stream().map(TargetTable::qualified).toList();
            checks.add(MysqlPreflight.targetFree(db, plan.schema(), tables, List.of(), clean));
            checks.add(MysqlPreflight.mayCreate(db, plan.schema()));
            describe(plan, scans);
            scans.forEach(s -> notes.add("table " + s.table() + ": " + s.rowsPerSource() + ", " + s.conflicts()
                    + " conflicting keys" + (s.listed().isEmpty() ? "" : " " + s.listed())));
            if (checks.stream().anyMatch(c -> !c.passed()) || dryRun) {
                return report(command, started, sources, checks, null, null, notes);
            }
            if (clean) {
                OwnedObjects.drop(db, tables, List.of());
            }
            Instant loadStart = clock.instant();
            MergeLoader.load(db, sources, plan, progress);
            Instant verifyStart = clock.instant();
            List<Difference> differences = new ArrayList<>();
            long rows = 0;
            for (TargetTable t : plan.tables()) {
                differences.addAll(MergeVerifier.verify(db, sources, t));
                rows += db.longValue("SELECT count(*) FROM " + t.qualified());
            }
            for (int i = 0; i < scans.size(); i++) {
                TargetTable t = plan.tables().get(i);
                notes.add("table " + t.display() + ": " + db.longValue("SELECT count(*) FROM " + t.qualified()) + " rows, "
                        + scans.get(i).conflicts() + " conflicts resolved (" + t.policy().name().toLowerCase() + ")");
            }
            CopyResult copy = new CopyResult("merge", 1, List.of(new CopyResult.Phase("load", Duration.between(loadStart, verifyStart))), 0,
                    List.of(), List.of());
            return report(command, started, sources, checks, copy,
                    new VerifyResult(plan.tables().size(), rows, 0, 0, Map.of(), differences, List.of()), notes);
        } catch (EngineException e) {
            return failed(command, started, checks, e.exitCode(), e.getMessage());
        } catch (io.pgrelocate.engine.postgres.DbException | io.pgrelocate.engine.settings.SettingsException e) {
            return failed(command, started, checks, ExitCode.FAILED, e.getMessage());
        } finally {
            targets.forEach(Db::close);
        }
    }

    private void describe(MergePlan plan, List<ConflictScan.Result> scans) {
        progress.accept("plan: " + plan.tables().size() + " tables into schema " + plan.schema() + " (load order)");
        for (int i = 0; i < plan.tables().size(); i++) {
            TargetTable t = plan.tables().get(i);
            progress.accept("  " + t.display() + " key (" + String.join(", ", t.key()) + "), on conflict " + t.policy().name().toLowerCase()
                    + ", expected rows " + scans.get(i).rowsPerSource() + ", conflicts " + scans.get(i).conflicts() + " " + scans.get(i).listed());
            for (Feed f : t.feeds()) {
                progress.accept("    from " + f.display());
                for (ColumnPlan c : f.columns()) {
                    progress.accept("      " + c.source() + " → " + c.target() + " " + c.type().pgType());
                }
            }
        }
        plan.foreignKeys().forEach(fk -> progress.accept("  foreign key " + fk.table() + " " + fk.columns() + " → "
                + fk.referencedTable() + " " + fk.referencedColumns()));
        plan.notes().forEach(n -> progress.accept("  note: " + n));
    }

    private MigrationReport failed(String command, Instant started, List<Check> checks, ExitCode code, String error) {
        return RunReport.failed(command, String.join(", ", mapping.sources().stream().map(MergeMapping.Source::name).toList()),
                target.display(), started, clock.instant(), checks, null, null, code, error);
    }

    private MigrationReport report(String command, Instant started, MergeSources sources, List<Check> checks, CopyResult copy,
                                   VerifyResult verify, List<String> notes) {
        return RunReport.of(command, String.join(", ", sources.displays()), target.display(), started, clock.instant(),
                checks, copy, verify, notes);
    }
}
