package io.pgrelocate.jobs.cleanup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.kube.OldDatabase;
import io.pgrelocate.engine.cleanup.SourceCleanup;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.jobs.support.JobCluster;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

/**
 * The cleanup Job: removes the old database (PGRELOCATE_CLEANUP_SOURCE) only when the ledger shows
 * a migration that completed at least PGRELOCATE_CLEANUP_MIN_AGE_DAYS ago and a validation that
 * passed after it. By default a dry run listing exactly what it would delete; it deletes only when
 * PGRELOCATE_CLEANUP_CONFIRM repeats the old database's name.
 */
@QuarkusMain
public class CleanupJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(CleanupJob.class, args);
    }

    @Inject
    JobSettings settings;

    @Inject
    Instance<KubernetesClient> kube;

    /** The JSON report: what was (or would be) deleted. */
    @RegisterForReflection // Jackson writes it, also in a native image
    record CleanupReport(String command, String oldDatabase, boolean deleted, List<String> objects, int exitCode) {
    }

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        return run.run(settings.reportFile(), () -> {
            JobSettings.Cleanup c = settings.cleanup();
            OldDatabase old = OldDatabase.parse(c.source().orElseThrow(() -> new SettingsException(
                    "PGRELOCATE_CLEANUP_SOURCE is not set: name the old database, zalando/<cluster> or bitnami/<statefulset>")));
            if (c.minAgeDays() < 0) {
                throw new SettingsException("PGRELOCATE_CLEANUP_MIN_AGE_DAYS must be 0 or more, not " + c.minAgeDays());
            }
            KubernetesClient client = kube.get();
            SourceCleanup cleanup = new SourceCleanup(client, JobCluster.ledger(settings, client), run::progress, run.clock());
            boolean confirmed = c.confirm().filter(old.name()::equals).isPresent();
            List<String> objects = cleanup.run(old, Duration.ofDays(c.minAgeDays()), c.confirm()).stream().map(Object::toString).toList();
            String summary = (confirmed ? "cleanup deleted " : "cleanup dry run: would delete ") + objects.size()
                    + " object(s) of " + old + (confirmed ? "" : "; nothing was deleted");
            CleanupReport report = new CleanupReport(confirmed ? "cleanup" : "cleanup --dry-run", old.toString(), confirmed, objects, 0);
            return new JobRun.Outcome(summary, ReportWriter.json(report), 0);
        });
    }
}
