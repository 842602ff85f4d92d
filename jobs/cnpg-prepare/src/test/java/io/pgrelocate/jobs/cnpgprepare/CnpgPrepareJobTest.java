package io.pgrelocate.jobs.cnpgprepare;

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

/** The job as a Job runs it: a target without TLS fails by default (PGRELOCATE_REQUIRE_TLS=true). */
@QuarkusMainTest
@TestProfile(CnpgPrepareJobTest.PlainTarget.class)
class CnpgPrepareJobTest {
    public static class PlainTarget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            LocalPostgres pg = TestServers.pg15();
            String source = TestServers.freshDatabase(pg, "cj_src");
            pg.executeSql(source, "CREATE TABLE accounts(id int PRIMARY KEY)");
            return Map.of("pgrelocate.source.uri", pg.uri(source), "pgrelocate.source.password", TestServers.PASSWORD,
                    "pgrelocate.target.uri", pg.uri(TestServers.freshDatabase(pg, "cj_tgt")),
                    "pgrelocate.target.password", TestServers.PASSWORD, "pgrelocate.work-dir", TestServers.workDir().toString());
        }
    }

    @Test
    @Launch(exitCode = 17)
    void targetWithoutTlsFailsByDefault(LaunchResult result) {
        String out = result.getOutput();
        assertThat(out).contains("  ok    target empty: ", "  FAIL  rw tls: ", "TLS is not in use (sslmode=disable)",
                        "PGRELOCATE_REQUIRE_TLS=false", "error   rw tls: ")
                .doesNotContain("ro endpoint")
                .contains(JobRun.REPORT_BEGIN, "\"passed\" : false", "\"exitCode\" : 17", JobRun.REPORT_END)
                .doesNotContain(TestServers.PASSWORD);
    }
}
