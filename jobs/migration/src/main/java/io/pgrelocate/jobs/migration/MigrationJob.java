package io.pgrelocate.jobs.migration;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.jobs.support.JobCluster;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The migration Job: preflight, the ledger check, then the switchover window — freeze the
 * applications (PGRELOCATE_WORKLOADS), fence the source, copy, verify, cut them over
 * (PGRELOCATE_CUTOVER_HOSTS) and thaw them on the target, or without cutover hosts lift the fence
 * and thaw them on the source — and the report. Any failure before the target went live lifts the
 * fence and thaws the applications on the source before the job exits non-zero; a job killed midway
 * leaves the ledger and the fence record from which {@code pgrelocate rollback} restores them. With {@code PGRELOCATE_DRY_RUN=true} it stops after the
 * checks and changes nothing.
 * A {@code mysql://} or {@code mariadb://} PGRELOCATE_SOURCE_URI runs the MySQL runbook into schema
 * PGRELOCATE_SCHEMA through the same window (the engine picks it: {@code Runbook.of}).
 * {@code PGRELOCATE_PHASE=replicate|switch|abort} runs one of logical's phases instead ({@link Phase}).
 */
@QuarkusMain
public class MigrationJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(MigrationJob.class, args);
    }

    @Inject
    JobSettings settings;

    /** Resolved only when the job has applications or a ledger to look after. */
    @Inject
    Instance<KubernetesClient> kube;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        Phase phase;
        try {
            phase = Phase.parse(settings.phase());
        } catch (SettingsException e) {
            run.progress("error: " + e.getMessage());
            return ExitCode.BAD_SETTINGS.code();
        }
        run.progress("migration: " + (JobSettingsAdapter.mysqlSource(settings) ? "MySQL/MariaDB source into schema " + settings.schema() + ": " : "")
                + (settings.dryRun() ? "dry run (checks only) of " : "") + phase.plan());
        return run.migration(settings, JobSettingsAdapter.fromSystem(), ms -> JobCluster.withAppLogins(settings, kube::get, ms),
                m -> phase.run(m, settings.dryRun(), () -> JobCluster.downtime(settings, kube::get, run::progress, run.clock())));
    }
}
