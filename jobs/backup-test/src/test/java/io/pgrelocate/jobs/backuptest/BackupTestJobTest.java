package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.jobs.support.JobRun;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job as a Job runs it: key tables from PGRELOCATE_KEY_TABLES, no volume at the work directory. */
@QuarkusMainTest
@TestProfile(BackupTestJobTest.NoVolume.class)
class BackupTestJobTest {
    public static class NoVolume implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            LocalPostgres pg = TestServers.pg15();
            String source = TestServers.freshDatabase(pg, "btj_src");
            pg.executeSql(source, "CREATE TABLE accounts(id int PRIMARY KEY); INSERT INTO accounts VALUES (1);"
                    + " CREATE TABLE audit(id int)");
            return Map.of("pgrelocate.source.uri", pg.uri(source), "pgrelocate.source.password", TestServers.PASSWORD,
                    "pgrelocate.key-tables", "public.accounts,public.audit",
                    "pgrelocate.work-dir", TestServers.workDir().resolve("no-volume").toString());
        }
    }

    @Test
    @Launch(exitCode = 17)
    void emptyKeyTableFailsWith17AndNothingIsDumped(LaunchResult result) {
        assertThat(result.getOutput()).contains("  ok    key table public.accounts: exists and has rows",
                        "  FAIL  key table public.audit: it is empty in ", "error   key table public.audit: ")
                .doesNotContain("dump: ")
                .contains(JobRun.REPORT_BEGIN, "\"exitCode\" : 17", JobRun.REPORT_END)
                .doesNotContain(TestServers.PASSWORD);
    }
}
