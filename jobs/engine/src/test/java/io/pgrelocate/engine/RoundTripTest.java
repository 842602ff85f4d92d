package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The full-coverage fixture goes from one real server to another and comes out identical. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoundTripTest {
    protected LocalPostgres pg;
    protected String sourceDb;
    protected String targetDb;
    protected MigrationReport report;

    /** The strategy under test; subclasses run the same checks with another. */
    protected Strategy strategy() {
        return Strategy.DUMP;
    }

    @BeforeAll
    void migrateFixture() {
        pg = TestServers.pg15();
        sourceDb = TestServers.freshDatabase(pg, "rt_src");
        targetDb = TestServers.freshDatabase(pg, "rt_dst");
        pg.executeSql(sourceDb, TestServers.resource("/fixtures/full-coverage.sql"));
        report = TestServers.migrate(TestServers.spec(pg, sourceDb), TestServers.spec(pg, targetDb), false, strategy());
    }

    @Test
    void migrationSucceedsAndVerifyFindsNoDifference() {
        assertThat(report.error()).isNull();
        assertThat(report.exitCode()).isZero();
        assertThat(report.verify().differences()).isEmpty();
        assertThat(report.verify().tablesCompared()).isGreaterThanOrEqualTo(15);
        assertThat(report.verify().largeObjectsCompared()).isEqualTo(4);
        assertThat(report.verify().schemaObjectCounts())
                .containsKeys("table", "index", "constraint", "view", "materialized view", "function", "trigger",
                        "policy", "sequence", "type", "rls table");
    }

    @Test
    void sequencesKeepTheirPositions() throws SQLException {
        assertThat(query(targetDb, "SELECT last_value || '/' || is_called FROM public.ticket_no_seq"))
                .isEqualTo(query(sourceDb, "SELECT last_value || '/' || is_called FROM public.ticket_no_seq"))
                .isEqualTo("1056/true");
        assertThat(query(targetDb, "SELECT last_value || '/' || is_called FROM public.pending_seq")).isEqualTo("500/false");
    }

    @Test
    void largeObjectsKeepTheirOids() throws SQLException {
        assertThat(query(targetDb, "SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_largeobject_metadata"))
                .isEqualTo("424242,424243,434343,434344");
        assertThat(query(targetDb, "SELECT md5(lo_get(424243))")).isEqualTo(query(sourceDb, "SELECT md5(lo_get(424243))"));
    }

    @Test
    void unloggedTableAndDuplicateRowsArrive() throws SQLException {
        assertThat(query(targetDb, "SELECT count(*) FROM public.session_cache")).isEqualTo("30");
        assertThat(query(targetDb, "SELECT relpersistence FROM pg_class WHERE relname = 'session_cache'")).isEqualTo("u");
        assertThat(query(targetDb, "SELECT count(*) FROM public.raw_events")).isEqualTo("23");
    }

    @Test
    void reportIsJsonWithoutPassword() {
        String json = ReportWriter.json(report);
        assertThat(json).contains("\"result\" : \"SUCCESS\"").contains("\"dump\" : \"PT");
        assertThat(json).doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void sourceIsUntouched() throws SQLException {
        ConnectionSpec spec = TestServers.spec(pg, sourceDb);
        assertThat(spec.display()).doesNotContain(TestServers.PASSWORD);
        assertThat(query(sourceDb, "SELECT count(*) FROM public.raw_events")).isEqualTo("23");
        assertThat(query(sourceDb, "SELECT last_value || '/' || is_called FROM public.ticket_no_seq")).isEqualTo("1056/true");
    }

    protected String query(String database, String sql) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
