package io.pgrelocate.jobs.migration;

import io.pgrelocate.jobs.support.JobRun;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job as a Job runs it; nothing listens on ports 1 and 2 of the loopback address. */
@QuarkusMainTest
@TestProfile(MigrationJobTest.Unreachable.class)
class MigrationJobTest {
    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgrelocate.source.uri", "postgresql://app:pw-not-shown@127.0.0.1:1/app",
                    "pgrelocate.target.uri", "postgresql://app@127.0.0.1:2/app",
                    "pgrelocate.work-dir", "target/work");
        }
    }

    @Test
    @Launch(exitCode = 3)
    void unreachableDatabasesFailPreflightWithExitCodeThree(LaunchResult result) {
        String out = result.getOutput();
        assertThat(out).contains("preflight: FAIL source: cannot connect to app@127.0.0.1:1/app")
                .contains("result  FAILED: a database cannot be reached")
                .contains(JobRun.REPORT_BEGIN).contains("\"exitCode\" : 3").contains(JobRun.REPORT_END)
                .doesNotContain("pw-not-shown");
    }
}
