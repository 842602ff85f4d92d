package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.logical.LogicalInWindow;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.CopyPlan;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.report.MigrationReport;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first of logical's two phases: preflight, slot with its exported snapshot, bulk copy from it,
 * subscription, then the catch-up (or none with {@code detach}); the replication is left streaming on
 * the servers for {@code switch}. A rerun that finds the run's record on the target skips the
 * preflight (the target holds the copy) and only catches up.
 */
final class Replicate {
    private final Migration migration;
    private final MigrationSettings settings;
    private final Consumer<String> out;
    private final Clock clock;

    Replicate(Migration migration, MigrationSettings settings, Consumer<String> out, Clock clock) {
        this.migration = migration;
        this.settings = settings;
        this.out = out;
        this.clock = clock;
    }

    MigrationReport run(boolean dryRun, boolean detach) {
        Instant started = clock.instant();
        PreflightResult pre = null;
        try {
            LogicalInWindow logical = Strategies.logical(settings, List.of(), List.of(), out, clock);
            java.util.Optional<String> earlier = logical.earlierRun();
            if (earlier.isPresent()) {
                out.accept("replicate: found the " + earlier.get() + "; no preflight (the target holds its copy)");
            } else {
                pre = migration.runPreflight();
                if (!pre.passed()) {
                    return migration.report("replicate", started, pre, null, null, pre.exitCode(), pre.firstFailure().map(Check::message).orElse(null));
                }
                logical = Strategies.logical(settings, pre.source().tables(), pre.source().roles(), out, clock);
            }
            if (dryRun) {
                if (pre != null) {
                    CopyPlan.lines(pre.source(), settings.copy().filter(), List.of(), settings.target()).forEach(line -> out.accept("dry run: " + line));
                }
                out.accept("dry run: would " + (earlier.isPresent() ? "wait for the catch-up of the running replication"
                        : "create publication, slot and subscription " + settings.logical().migration() + ", bulk-copy from the slot's snapshot")
                        + (detach ? " and return with the subscription enabled" : " and return once the lag is at most " + settings.logical().maxLag() + " bytes")
                        + "; nothing was changed");
                return migration.report("replicate --dry-run", started, pre, null, null, ExitCode.OK, null);
            }
            CopyResult copied = logical.replicate(detach);
            return migration.report("replicate", started, pre, copied, null, ExitCode.OK, null);
        } catch (EngineException e) {
            return migration.report("replicate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbConnectException e) {
            return migration.report("replicate", started, pre, null, null, e.exitCode(), e.getMessage());
        } catch (DbException e) {
            return migration.report("replicate", started, pre, null, null, ExitCode.REPLICATION, e.getMessage());
        }
    }
}
