package io.pgrelocate.jobs.cnpgprepare;

import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.jobs.support.CheckSettings;
import io.pgrelocate.jobs.support.JobMain;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The prepare-target Job: checks that the CNPG (or managed) target is ready before anything is
 * frozen — both servers answer and accept the login, the target's major is not older than the
 * source's, pg_dump is new enough, the target database is empty, the source's extensions are
 * available, the work directory has room for the dump — and that its endpoints are what the
 * applications need: TLS in use ({@code PGRELOCATE_REQUIRE_TLS}), the certificate verified when a CA
 * is configured, the read-only endpoint ({@code PGRELOCATE_TARGET_RO_URI}) really read-only.
 * Read-only on both sides.
 */
@QuarkusMain
public class CnpgPrepareJob implements QuarkusApplication {
    public static void main(String... args) {
        JobMain.run(CnpgPrepareJob.class, args);
    }

    @Inject
    JobSettings settings;

    @Override
    public int run(String... args) {
        JobRun run = JobRun.toStdout();
        run.progress("cnpg-prepare: checking that the target is ready");
        return run.run(settings.reportFile(), () -> {
            MigrationSettings ms = JobSettingsAdapter.fromSystem().migrationSettings(settings);
            return new CnpgPrepare(ms, CheckSettings.fromSystem().targetRo(settings, ms.target()), settings.requireTls(),
                    run::progress, run.clock()).run().outcome();
        });
    }
}
