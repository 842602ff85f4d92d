package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL 14 (embedded binaries) to Debian's 15, keeping owners, grants and passwords, with each strategy. */
class CrossVersionTest {
    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"DUMP", "STREAM"})
    void fourteenToFifteenKeepsDataOwnersAndGrants(Strategy strategy) throws SQLException {
        // Roles are cluster-wide: names of their own per strategy, so each run creates its roles.
        String owner = "xv_owner_" + strategy.label();
        String reader = "xv_reader_" + strategy.label();
        String password = "pw-" + java.util.UUID.randomUUID();  // only this test knows it: the target gets the stored verifier
        LocalPostgres source = TestServers.pg14();
        LocalPostgres target = TestServers.pg15();
        String src = TestServers.freshDatabase(source, "xv_src");
        String dst = TestServers.freshDatabase(target, "xv_dst");
        source.executeSql(src, TestServers.resource("/fixtures/full-coverage.sql"));
        source.executeSql(src, """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xv_owner') THEN CREATE ROLE xv_owner LOGIN CREATEDB; END IF;
                  ALTER ROLE xv_owner PASSWORD 'xv_password';
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xv_reader') THEN CREATE ROLE xv_reader NOLOGIN; END IF;
                END $$;
                ALTER TABLE public.raw_events OWNER TO xv_owner;
                GRANT SELECT ON public.session_cache TO xv_reader;
                """.replace("xv_owner", owner).replace("xv_reader", reader).replace("xv_password", password));

        MigrationReport report = TestServers.migrate(TestServers.spec(source, src), TestServers.spec(target, dst), true, strategy);

        assertThat(report.exitCode()).as(report.error()).isZero();
        assertThat(report.sourceVersion()).startsWith("14.");
        assertThat(report.targetVersion()).startsWith("15.");
        assertThat(report.verify().differences()).isEmpty();
        assertThat(report.copy().rolesCreated()).contains(owner, reader);
        try (Connection c = target.connect(dst); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT tableowner FROM pg_tables WHERE tablename = 'raw_events'")).isEqualTo(owner);
            assertThat(one(st, "SELECT has_table_privilege('" + reader + "', 'public.session_cache', 'SELECT')::text")).isEqualTo("true");
            assertThat(one(st, "SELECT rolsuper::text || rolcanlogin::text || rolcreatedb::text FROM pg_roles WHERE rolname = '" + owner + "'"))
                    .isEqualTo("falsetruetrue");
        }
        try (Connection c = java.sql.DriverManager.getConnection(TestServers.jdbcUrl(target, dst), owner, password); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT count(*) >= 0 FROM public.raw_events")).isEqualTo("t");
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
