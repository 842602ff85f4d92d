package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real MariaDB database with every mapped type and its edge values, into a real PostgreSQL 15, verified across engines. */
class MysqlRoundTripTest {
    private static MariaDbServer maria;
    private static LocalPostgres pg;
    private static String sourceDb;
    private static ConnectionSpec target;
    private static MigrationReport report;

    @BeforeAll
    static void migrate() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
        sourceDb = maria.freshDatabase("fixture");
        maria.execute(sourceDb, TestServers.resource("/mysql/fixture.sql"));
        target = TestServers.spec(pg, TestServers.freshDatabase(pg, "from_maria"));
        report = run(settings(false), false);
    }

    static MysqlMigrationSettings settings(boolean clean) {
        return new MysqlMigrationSettings(maria.source(sourceDb), target, "app", 2, clean, PgNames.Case.LOWER, TypeOverrides.NONE);
    }

    static MigrationReport run(MysqlMigrationSettings settings, boolean dryRun) {
        MigrationReport r = new MysqlMigration(settings, System.out::println, Clock.systemUTC()).migrate(dryRun);
        System.out.println(Summary.of(r));
        return r;
    }

    @Test
    void everyTableArrivesAndVerifiesWithoutDifferences() {
        assertThat(report.exitCode()).as(report.error()).isEqualTo(0);
        assertThat(report.verify().differences()).isEmpty();
        assertThat(report.verify().tablesCompared()).isEqualTo(7);
        assertThat(report.verify().warnings()).anySatisfy(n -> assertThat(n).contains("app.every_type.lt").contains("1 NUL"))
                .anySatisfy(n -> assertThat(n).contains("app.every_type.d").contains("2 zero dates"))
                .anySatisfy(n -> assertThat(n).contains("ON UPDATE CURRENT_TIMESTAMP"))
                .anySatisfy(n -> assertThat(n).contains("view customer_names"));
    }

    @Test
    void valuesAreMappedByTheDocumentedTable() {
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns "
                    + "WHERE table_schema = 'app' AND table_name = 'every_type' AND column_name IN ('flag','big_u','int_u','d','dt','ts','tm','js','st','bits','bl','en')"))
                    .isEqualTo("flag boolean, int_u bigint, big_u numeric, bits bit, d date, dt timestamp without time zone, "
                            + "ts timestamp with time zone, tm time without time zone, js jsonb, en USER-DEFINED, st ARRAY, bl bytea");
            assertThat(db.text("SELECT big_u::text FROM app.every_type WHERE id = 2")).isEqualTo("18446744073709551615");
            assertThat(db.text("SELECT vc FROM app.every_type WHERE id = 2")).isEqualTo("emoji 😀 \"quotes\" 'single' \\back\\slash\\ tab\tend");
            assertThat(db.text("SELECT encode(bl, 'hex') FROM app.every_type WHERE id = 2")).isEqualTo("5c005c6e00");
            assertThat(db.text("SELECT st::text FROM app.every_type WHERE id = 1")).isEqualTo("{read,write}");
            assertThat(db.text("SELECT d IS NULL AND dt IS NULL FROM app.every_type WHERE id = 2")).isEqualTo("t");
            // fractional seconds with leading zeros, exactly as stored
            assertThat(db.text("SELECT (ts AT TIME ZONE 'UTC')::text || ' ' || tm::text FROM app.every_type WHERE id = 2"))
                    .isEqualTo("2038-01-19 03:14:07.009 23:59:59.000001");
            assertThat(db.text("SELECT dt::text FROM app.every_type WHERE id = 4")).isEqualTo("1000-01-01 00:00:00.012345");
            assertThat(db.text("SELECT data_type FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'durations'"
                    + " AND column_name = 'span'")).isEqualTo("interval");
            assertThat(db.text("SELECT span::text FROM app.durations WHERE id = 1")).isEqualTo("838:59:59");
            // identity continues after the source's AUTO_INCREMENT (1000), not after the rows (3)
            assertThat(db.text("INSERT INTO app.customer (\"name\") VALUES ('new') RETURNING customer_id::text")).isEqualTo("1000");
            // two MySQL indexes named name_idx, unique per schema on the target
            assertThat(db.list("SELECT indexname FROM pg_indexes WHERE schemaname = 'app' AND indexname LIKE '%name_idx%' ORDER BY 1",
                    rs -> rs.getString(1))).containsExactly("customer_name_idx", "order_name_idx");
            assertThat(db.text("SELECT confdeltype::text FROM pg_constraint WHERE conname = 'order_fk_order_customer'")).isEqualTo("c");
            assertThat(db.text("SELECT obj_description('app.every_type'::regclass)")).isEqualTo("one column of each type");
        }
    }

    @Test
    void verifyNamesAChangedValueByTableAndKey() {
        String other = TestServers.freshDatabase(pg, "changed");
        ConnectionSpec changed = TestServers.spec(pg, other);
        MysqlMigrationSettings s = new MysqlMigrationSettings(maria.source(sourceDb), changed, "app", 2, false, PgNames.Case.LOWER,
                TypeOverrides.NONE);
        assertThat(run(s, false).exitCode()).isZero();
        try (Db db = Db.connect(changed)) {
            db.execute("UPDATE app.\"order\" SET qty = 99 WHERE \"user\" = 3");
        }
        MysqlSchema schema;
        try (MysqlDb my = MysqlDb.connect(maria.source(sourceDb))) {
            schema = MysqlIntrospector.read(my);
            MysqlPlan plan = MysqlPlanner.plan(schema, my, TypeOverrides.NONE, PgNames.Case.LOWER, "app");
            List<CrossVerifier.TableCheck> checks = CrossVerifier.check(maria.source(sourceDb), changed, plan.tables(), 2);
            var result = CrossVerifier.result(checks);
            assertThat(result.differences()).extracting(d -> d.describe())
                    .anySatisfy(d -> assertThat(d).contains("app.order").contains("1 rows and 1 values differ"))
                    .anySatisfy(d -> assertThat(d).isEqualTo("row app.order (user, select)=3,1: source other values, target qty=99"));
        }
    }

    @Test
    void aSecondRunIsRefusedUnlessClean() {
        MigrationReport again = run(settings(false), false);
        assertThat(again.exitCode()).isEqualTo(ExitCode.TARGET_NOT_EMPTY.code());
        assertThat(again.error()).contains("--clean");
        assertThat(run(settings(true), true).exitCode()).isZero();
    }
}
