package io.pgrelocate.engine;

import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** A restore that fails midway: exit 11, pg_restore's own error in one line, the source untouched. */
class CopyFailureTest {
    @Test
    void conflictingTargetObjectFailsTheRestoreWithItsError() throws SQLException {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "cf_src");
        String dst = TestServers.freshDatabase(pg, "cf_dst");
        pg.executeSql(src, "CREATE TABLE accounts(id int PRIMARY KEY); INSERT INTO accounts SELECT generate_series(1, 100)");
        pg.executeSql(dst, "CREATE TABLE accounts(other text)");

        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false), true);
        MigrationReport r = new Migration(settings, line -> { }, Clock.systemUTC()).migrate(false);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(r.error()).doesNotContain("\n")
                .contains("pg_restore failed; the source is unchanged", "relation \"accounts\" already exists",
                        "drop and recreate it before retrying",
                        "-d postgres -c 'DROP DATABASE \"" + dst + "\" WITH (FORCE)' -c 'CREATE DATABASE \"" + dst + "\"'");
        assertThat(r.verify()).isNull();
        try (Connection c = pg.connect(src); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(id) FROM accounts")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(100);
            assertThat(rs.getLong(2)).isEqualTo(5050);
        }
    }
}
