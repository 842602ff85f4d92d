package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The full-coverage fixture through --strategy stream comes out identical, with the details the report promises. */
class StreamRoundTripTest {
    private static LocalPostgres pg;
    private static String sourceDb;
    private static String targetDb;
    private static MigrationReport report;

    @BeforeAll
    static void migrateFixture() {
        pg = TestServers.pg15();
        sourceDb = TestServers.freshDatabase(pg, "srt_src");
        targetDb = TestServers.freshDatabase(pg, "srt_dst");
        pg.executeSql(sourceDb, TestServers.resource("/fixtures/full-coverage.sql"));
        report = TestServers.migrate(TestServers.spec(pg, sourceDb), TestServers.spec(pg, targetDb), false, Strategy.STREAM);
    }

    @Test
    void verifyFindsNoDifference() {
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
    void sequencesLargeObjectsUnloggedDuplicatesAndGeneratedColumnsSurvive() throws SQLException {
        assertThat(query(targetDb, "SELECT last_value || '/' || is_called FROM public.ticket_no_seq")).isEqualTo("1056/true");
        assertThat(query(targetDb, "SELECT last_value || '/' || is_called FROM public.pending_seq")).isEqualTo("500/false");
        assertThat(query(targetDb, "SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_largeobject_metadata"))
                .isEqualTo("424242,424243,434343,434344");
        assertThat(query(targetDb, "SELECT md5(lo_get(434344))")).isEqualTo(query(sourceDb, "SELECT md5(lo_get(434344))"));
        assertThat(query(targetDb, "SELECT count(*) || '/' || string_agg(DISTINCT relpersistence::text, '') FROM public.session_cache, pg_class WHERE relname = 'session_cache'"))
                .isEqualTo("30/u");
        assertThat(query(targetDb, "SELECT count(*) FROM public.raw_events")).isEqualTo("23");
        assertThat(query(targetDb, "SELECT sum(line_total)::text FROM public.orders"))
                .isEqualTo(query(sourceDb, "SELECT sum(line_total)::text FROM public.orders"));
    }

    @Test
    void primaryKeysAreConstraintsAgainAndForeignKeysExist() throws SQLException {
        assertThat(query(targetDb, "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE contype IN ('p','u','f','x') AND nspname NOT IN ('pg_catalog')"))
                .isEqualTo(query(sourceDb, "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE contype IN ('p','u','f','x') AND nspname NOT IN ('pg_catalog')"));
    }

    @Test
    void reportSaysWhatWasUsedPerTable() {
        CopyResult.Stream s = report.copy().stream();
        assertThat(report.copy().strategy()).isEqualTo("stream");
        assertThat(s.tables()).isNotEmpty().allSatisfy(t -> assertThat(t.format()).isIn("binary", "text"));
        assertThat(s.tables()).anySatisfy(t -> assertThat(t.format()).isEqualTo("text"));  // citext, hstore, enums
        assertThat(s.tables()).anySatisfy(t -> assertThat(t.format()).isEqualTo("binary"));
        assertThat(s.rows()).isEqualTo(s.tables().stream().mapToLong(TableCopy::rows).sum()).isPositive();
        assertThat(s.indexBuilds()).isPositive();
        assertThat(s.largeObjects()).isEqualTo(4);
        assertThat(ReportWriter.json(report)).contains("\"stream\"", "\"bytesPerSecond\"").doesNotContain(TestServers.PASSWORD);
        assertThat(Summary.of(report)).contains("strategy stream", "nothing on disk");
    }

    static String query(String database, String sql) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
