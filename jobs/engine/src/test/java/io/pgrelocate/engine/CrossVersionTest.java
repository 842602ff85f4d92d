package io.pgrelocate.engine;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL 14 (embedded binaries) to Debian's 15, keeping owners and grants. */
class CrossVersionTest {
    @Test
    void fourteenToFifteenKeepsDataOwnersAndGrants() throws SQLException {
        LocalPostgres source = TestServers.pg14();
        LocalPostgres target = TestServers.pg15();
        String src = TestServers.freshDatabase(source, "xv_src");
        String dst = TestServers.freshDatabase(target, "xv_dst");
        source.executeSql(src, TestServers.resource("/fixtures/full-coverage.sql"));
        source.executeSql(src, """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xv_owner') THEN CREATE ROLE xv_owner LOGIN CREATEDB; END IF;
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xv_reader') THEN CREATE ROLE xv_reader NOLOGIN; END IF;
                END $$;
                ALTER TABLE public.raw_events OWNER TO xv_owner;
                GRANT SELECT ON public.session_cache TO xv_reader;
                """);

        MigrationReport report = TestServers.migrate(TestServers.spec(source, src), TestServers.spec(target, dst), true);

        assertThat(report.exitCode()).as(report.error()).isZero();
        assertThat(report.sourceVersion()).startsWith("14.");
        assertThat(report.targetVersion()).startsWith("15.");
        assertThat(report.verify().differences()).isEmpty();
        assertThat(report.copy().rolesCreated()).contains("xv_owner", "xv_reader");
        try (Connection c = target.connect(dst); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT tableowner FROM pg_tables WHERE tablename = 'raw_events'")).isEqualTo("xv_owner");
            assertThat(one(st, "SELECT has_table_privilege('xv_reader', 'public.session_cache', 'SELECT')::text")).isEqualTo("true");
            assertThat(one(st, "SELECT rolsuper::text || rolcanlogin::text || rolcreatedb::text FROM pg_roles WHERE rolname = 'xv_owner'"))
                    .isEqualTo("falsetruetrue");
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
