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

/** The migration Job takes a MySQL source from the same settings; nothing listens on port 1. */
@QuarkusMainTest
@TestProfile(MysqlMigrationJobTest.MysqlSource.class)
class MysqlMigrationJobTest {
    public static class MysqlSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgrelocate.source.uri", "mysql://app@127.0.0.1:1/shop",
                    "pgrelocate.source.password", "pw-not-shown",
                    "pgrelocate.target.uri", "postgresql://app@127.0.0.1:2/app",
                    "pgrelocate.schema", "shop");
        }
    }

    @Test
    @Launch(exitCode = 3)
    void aMysqlSourceRunsTheMysqlRunbook(LaunchResult result) {
        assertThat(result.getOutput()).contains("migration: MySQL/MariaDB source into schema shop")
                .contains("cannot connect to mysql:app@127.0.0.1:1/shop")
                .contains(JobRun.REPORT_BEGIN).contains("\"exitCode\" : 3").doesNotContain("pw-not-shown");
    }
}
