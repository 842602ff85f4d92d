package io.pgrelocate.jobs.cleanup;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The cleanup Job. Removing the old database is only safe once the replica ledger proves a
 * migration completed and its applications run against the target; that ledger does not exist yet
 * in this version, so the job refuses, deletes nothing, and exits 2.
 */
@QuarkusMain
public class CleanupJob implements QuarkusApplication {
    static final String REFUSAL = "cleanup needs the replica ledger of a completed migration "
            + "(not available yet in this version); nothing was deleted";

    public static void main(String... args) {
        JobMain.run(CleanupJob.class, args);
    }

    @Override
    public int run(String... args) {
        return JobRun.toStdout().fail(ExitCode.BAD_SETTINGS, REFUSAL);
    }
}
