package io.pgrelocate.jobs.validation;

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

/**
 * The job as a Job runs it, settings from configuration: a migrated target whose "read-only"
 * endpoint is the primary itself, TLS not required, a generous performance limit.
 */
@QuarkusMainTest
@TestProfile(ValidationJobTest.Migrated.class)
class ValidationJobTest {
    public static class Migrated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            LocalPostgres pg = TestServers.pg15();
            String source = TestServers.freshDatabase(pg, "vj_src");
            String target = TestServers.freshDatabase(pg, "vj_tgt");
            pg.executeSql(source, "CREATE TABLE accounts(id int PRIMARY KEY); INSERT INTO accounts SELECT generate_series(1, 100)");
            TestServers.migrate(TestServers.spec(pg, source), TestServers.spec(pg, target), false);
            return Map.of("pgrelocate.source.uri", pg.uri(source), "pgrelocate.target.uri", pg.uri(target),
                    "pgrelocate.source.password", TestServers.PASSWORD, "pgrelocate.target.password", TestServers.PASSWORD,
                    "pgrelocate.target-ro-uri", pg.uri(target), "pgrelocate.require-tls", "false",
                    "pgrelocate.perf-max-ratio", "1000", "pgrelocate.work-dir", TestServers.workDir().toString());
        }
    }

    @Test
    @Launch(exitCode = 17)
    void writableReadOnlyEndpointFailsTheValidationWithExit17(LaunchResult result) {
        String out = result.getOutput();
        assertThat(out).contains("  FAIL  ro read-only: ", "accepts writes", "  WARN  rw tls: ", "(limit 1000.0)",
                        "job     validation FAILED: a check of the source or target failed", "(exit 17)")
                .contains(JobRun.REPORT_BEGIN, "\"passed\" : false", "\"exitCode\" : 17", JobRun.REPORT_END)
                .doesNotContain(TestServers.PASSWORD);
    }
}
