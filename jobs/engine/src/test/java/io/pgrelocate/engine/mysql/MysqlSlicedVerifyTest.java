package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table big enough to be verified in several key slices at once: a clean copy verifies equal, and a row
 * missing in a middle slice, a changed value in the last and rows beyond the source's MIN and MAX (the open ends)
 * are each named by key; a table with a text key in the same run is verified by digest per slice.
 */
class MysqlSlicedVerifyTest {
    @Test
    void everySliceIsComparedAndItsDifferencesNamedByKey() {
        MariaDbServer maria = MariaDbServer.shared();
        LocalPostgres pg = TestServers.pg15();
        String source = maria.freshDatabase("sliced");
        maria.execute(source, "CREATE TABLE big (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(12), at DATETIME(6));\n"
                + "INSERT INTO big SELECT seq, seq % 1000, CONCAT('s', seq), TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_1_to_600000;\n"
                + "CREATE TABLE tagged (n INT NOT NULL, tag VARCHAR(8) NOT NULL, PRIMARY KEY (n, tag));\n"
                + "INSERT INTO tagged SELECT seq, CONCAT('t', seq % 3) FROM seq_1_to_300000;\n"
                + "ANALYZE TABLE big, tagged");
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "sliced_target"));
        MysqlMigrationSettings settings = new MysqlMigrationSettings(maria.source(source), target, "app", 2, false, PgNames.Case.LOWER,
                TypeOverrides.NONE);
        MigrationReport r = new MysqlMigration(settings, System.out::println, Clock.systemUTC()).migrate(false);
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.verify().differences()).isEmpty();
        assertThat(r.verify().rowsCompared()).isEqualTo(900_000);

        try (Db db = Db.connect(target)) {
            db.execute("DELETE FROM app.big WHERE id = 300001; UPDATE app.big SET s = 'changed' WHERE id = 599999;\n"
                    + "INSERT INTO app.big VALUES (-5, 1, 'before', NULL), (700000, 2, 'after', NULL);\n"
                    + "UPDATE app.tagged SET tag = 'x' WHERE n = 250000");
        }
        List<TablePlan> tables;
        try (MysqlDb my = MysqlDb.connect(maria.source(source))) {
            tables = MysqlPlanner.plan(MysqlIntrospector.read(my), my, TypeOverrides.NONE, PgNames.Case.LOWER, "app").tables();
        }
        var result = CrossVerifier.result(CrossVerifier.check(maria.source(source), target, tables, 2));
        assertThat(result.differences()).extracting(d -> d.describe())
                .anySatisfy(d -> assertThat(d).startsWith("table app.big: source 600000 rows, target 600001 rows, 4 rows and 13 values differ"))
                .anySatisfy(d -> assertThat(d).isEqualTo("row app.big (id)=300001: source a row, target absent"))
                .anySatisfy(d -> assertThat(d).isEqualTo("row app.big (id)=599999: source other values, target s=changed"))
                .anySatisfy(d -> assertThat(d).startsWith("row app.big (id)=-5: source absent, target a row -5, 1, before"))
                .anySatisfy(d -> assertThat(d).startsWith("row app.big (id)=700000: source absent, target a row"))
                .anySatisfy(d -> assertThat(d).startsWith("table app.tagged: source 300000 rows, target 300000 rows, 2 rows"));
    }
}
