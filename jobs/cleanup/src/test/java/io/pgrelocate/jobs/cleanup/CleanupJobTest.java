package io.pgrelocate.jobs.cleanup;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusMainTest
class CleanupJobTest {
    @Test
    @Launch(exitCode = 2)
    void refusesWithoutALedgerAndDeletesNothing(LaunchResult result) {
        assertThat(result.getOutput()).contains("error: cleanup needs the replica ledger of a completed migration "
                + "(not available yet in this version); nothing was deleted");
    }
}
