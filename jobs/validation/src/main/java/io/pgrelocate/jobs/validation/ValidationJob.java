package io.pgrelocate.jobs.validation;

import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.jobs.support.CheckSettings;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.jobs.support.JobCluster;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The validation Job: compares target with source — per-table row counts and content digests,
 * sequences, large objects, extensions, schema objects, rights — or, once the migration's ledger
 * says the applications were switched to the target, the target with the switch point (the fenced
 * source: everything but the rows the applications wrote since) — then checks the target's endpoints (TLS,
 * {@code PGRELOCATE_TARGET_RO_URI}), extensions, foreign keys (orphan rows) and times a few queries
 * on both sides ({@code PGRELOCATE_PERF_MAX_RATIO}). Exit 0 when all holds, 12 when the content
 * differs, 17 when a check fails. Read-only on both sides.
 */
@QuarkusMain
public class ValidationJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(ValidationJob.class, args);
    }

    @Inject
    JobSettings settings;

    /** Resolved only when the job belongs to a migration, to record the result in its ledger. */
    @Inject
    Instance<KubernetesClient> kube;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        return run.run(settings.reportFile(), () -> {
            MigrationSettings ms = JobSettingsAdapter.fromSystem().migrationSettings(settings);
            boolean switched = JobCluster.switched(settings, kube::get);
            run.progress(switched ? "validation: the applications were switched to the target; validating it against the switch point"
                    : "validation: comparing the target with the source");
            ValidationReport report = new Validation(ms, CheckSettings.fromSystem().targetRo(settings, ms.target()), settings.requireTls(),
                    CheckSettings.perfMaxRatio(settings), run::progress, run.clock()).afterSwitch(switched).run();
            JobRun.Outcome outcome = report.outcome();
            JobCluster.recordValidation(settings, kube::get, report.passed(),
                    report.passed() ? "passed" : "failed with exit code " + outcome.exitCode(), run::progress, run.clock());
            return outcome;
        });
    }
}
