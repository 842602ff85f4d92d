package io.pgrelocate.jobs.validation;

import io.pgrelocate.engine.Migration;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The validation Job: compares target with source — per-table row counts and content digests,
 * sequences, large objects, extensions, schema objects. Exit 0 when identical, 12 when not.
 * Read-only on both sides.
 */
@QuarkusMain
public class ValidationJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(ValidationJob.class, args);
    }

    @Inject
    JobSettings settings;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        run.progress("validation: comparing the target with the source");
        return run.migration(settings, JobSettingsAdapter.fromSystem(), Migration::verify);
    }
}
