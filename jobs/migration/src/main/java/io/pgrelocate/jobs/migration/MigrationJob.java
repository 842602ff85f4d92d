package io.pgrelocate.jobs.migration;

import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The migration Job: preflight, then pg_dump/pg_restore into the target and a full verification.
 * With {@code PGRELOCATE_DRY_RUN=true} it stops after preflight and changes nothing.
 *
 * <p>This version copies the database only: freezing the applications before the copy and thawing
 * them afterwards is not part of it yet, so stop the writers before running it.
 */
@QuarkusMain
public class MigrationJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(MigrationJob.class, args);
    }

    @Inject
    JobSettings settings;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        run.progress("migration: " + (settings.dryRun() ? "dry run (preflight only)" : "preflight, copy, verify"));
        return run.migration(settings, JobSettingsAdapter.fromSystem(), m -> m.migrate(settings.dryRun()));
    }
}
