package io.pgrelocate.engine.report;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON report is the proof a user keeps: per-table content, TLS on each side, what was left out. */
class CompleteReportTest {
    @Test
    void theReportCarriesTablesTlsAndExclusionsAndNoFailureOnPassedChecks() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "rep_src");
        String dst = TestServers.freshDatabase(pg, "rep_dst");
        pg.executeSql(src, "CREATE TABLE items(id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 3)");
        MigrationReport r = TestServers.migrate(TestServers.spec(pg, src), TestServers.spec(pg, dst), false);
        String json = ReportWriter.json(r);

        assertThat(r.exitCode()).isZero();
        assertThat(json).contains("\"public.items\" : {", "\"rows\" : 3", "\"digest\" : \"")
                .contains("\"name\" : \"tls\"", "source no TLS (sslmode=disable), target no TLS (sslmode=disable)")
                .contains("left out schemas [metric_helpers, user_management], extensions [pg_stat_kcache, set_user]")
                .contains("\"definitionNormalisations\"")
                .doesNotContain("\"failure\" : \"OK\"");
    }
}
