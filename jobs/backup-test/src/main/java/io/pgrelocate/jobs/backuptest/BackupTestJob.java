package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.jobs.support.CheckSettings;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The backup-test Job: checks that the source's key tables ({@code PGRELOCATE_KEY_TABLES}, default
 * the five largest) exist and hold rows, then dumps the source to prove that a dump works with these
 * credentials and tools, and measures its size and speed (what the copy during the freeze will
 * cost): into the volume at {@code PGRELOCATE_WORK_DIR}, or, with no volume there, to a stream that
 * is discarded. Reads the source only; the target is not needed.
 */
@QuarkusMain
public class BackupTestJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(BackupTestJob.class, args);
    }

    @Inject
    JobSettings settings;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        JobSettingsAdapter adapter = JobSettingsAdapter.fromSystem();
        return run.run(settings.reportFile(), () -> new BackupTest(adapter.source(settings), JobSettingsAdapter.copyOptions(settings),
                CheckSettings.keyTables(settings), run::progress, run.clock()).run().outcome());
    }
}
