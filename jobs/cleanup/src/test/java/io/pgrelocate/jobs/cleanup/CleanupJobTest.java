package io.pgrelocate.jobs.cleanup;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The job as a Job runs it; its gate and deletions are tested against a mock API server in the engine. */
@QuarkusMainTest
@TestProfile(CleanupJobTest.NoSource.class)
class CleanupJobTest {
    public static class NoSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgrelocate.migration", "m1");
        }
    }

    @Test
    @Launch(exitCode = 2)
    void refusesWithoutAnOldDatabaseAndDeletesNothing(LaunchResult result) {
        assertThat(result.getOutput()).contains("error: PGRELOCATE_CLEANUP_SOURCE is not set: name the old database, "
                + "zalando/<cluster> or bitnami/<statefulset>");
    }
}
