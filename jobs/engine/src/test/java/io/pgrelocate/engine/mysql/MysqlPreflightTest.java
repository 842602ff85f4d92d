package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input is refused before anything is written to the target, with the fix named. */
class MysqlPreflightTest {
    private static MariaDbServer maria;
    private static LocalPostgres pg;

    @BeforeAll
    static void servers() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
    }

    private static MigrationReport migrate(MysqlSource source, ConnectionSpec target, TypeOverrides overrides) {
        return new MysqlMigration(new MysqlMigrationSettings(source, target, "app", 1, false, PgNames.Case.LOWER, overrides),
                System.out::println, Clock.systemUTC()).migrate(false);
    }

    private static void nothingWritten(ConnectionSpec target) {
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT to_regnamespace('app')::text")).isNull();
        }
    }

    @Test
    void anUnsupportedTypeIsListedWithItsOverride() {
        String db = maria.freshDatabase("geo");
        maria.execute(db, "CREATE TABLE place (id INT PRIMARY KEY, spot POINT, name VARCHAR(10));\n"
                + "INSERT INTO place VALUES (1, POINT(1, 2), 'here')");
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "geo_target"));
        MigrationReport r = migrate(maria.source(db), target, TypeOverrides.NONE);
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).contains("place.spot").contains("point").contains("types: {place: {spot: bytea}}");
        nothingWritten(target);

        MigrationReport overridden = migrate(maria.source(db), target, new TypeOverrides(Map.of("place", Map.of("spot", "bytea"))));
        assertThat(overridden.exitCode()).as(overridden.error()).isZero();
    }

    @Test
    void aWrongPasswordExitsWithFour() {
        String db = maria.freshDatabase("pw");
        MysqlSource reader = maria.reader(db, "reader_pw", "right-one");
        MysqlSource wrong = new MysqlSource(reader.connection().withPassword(Secret.of("wrong")), reader.flavour());
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "pw_target"));
        MigrationReport r = migrate(wrong, target, TypeOverrides.NONE);
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTHENTICATION.code());
        assertThat(r.error()).contains("reader_pw@").contains("check the user and the password").doesNotContain("wrong");
        nothingWritten(target);
    }

    @Test
    void aTinyint1HoldingOtherValuesIsNotSilentlyMadeBoolean() {
        String db = maria.freshDatabase("flags");
        maria.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, f TINYINT(1));\nINSERT INTO t VALUES (1, 1), (2, 5)");
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "flags_target"));
        MigrationReport r = migrate(maria.source(db), target, new TypeOverrides(Map.of("t", Map.of("f", "boolean"))));
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).contains("t.f").contains("1 rows hold values other than 0 and 1 (e.g. id=2)").contains("smallint");
        nothingWritten(target);
    }

    /** Every value no mapping can take without losing it is named (column, count, example key) before any table exists. */
    @Test
    void everyValueTheCopyWouldRefuseIsNamedBeforeAnyTableExists() {
        String db = maria.freshDatabase("refused");
        String longName = "c".repeat(63);
        maria.execute(db, "SET SESSION sql_mode = '';\n"
                + "CREATE TABLE dates (id INT PRIMARY KEY, d DATE NOT NULL, y DATETIME NOT NULL, ok DATE);\n"
                + "INSERT INTO dates VALUES (1, '2020-00-05', '2020-01-01', NULL), (2, '2021-01-01', '0000-03-04 00:00:00', '2021-03-00'),"
                + " (3, '2021-05-00', '2021-01-01', NULL);\n"
                + "CREATE TABLE nums (k VARCHAR(5) PRIMARY KEY, big BIGINT, doc JSON);\n"
                + "INSERT INTO nums VALUES ('a', 1, '{}'), ('b', 1099511627776, '\"a\\\\u0000\"');\n"
                + "CREATE TABLE wide (`" + longName + "1` INT, `" + longName + "2` INT);\n"
                + "CREATE TABLE `Pair` (id INT);\nCREATE TABLE pair (id INT)");
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "refused_target"));
        MigrationReport r = migrate(maria.source(db), target,
                new TypeOverrides(Map.of("nums", Map.of("big", "integer", "doc", "jsonb"))));
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.preflight().stream().filter(c -> !c.passed()).map(c -> c.message()).toList())
                .anySatisfy(m -> assertThat(m).contains("dates.d: 2 dates with a zero year, month or day (e.g. id=1)"))
                .anySatisfy(m -> assertThat(m).contains("dates.y: 1 dates with a zero year, month or day (e.g. id=2)"))
                .anySatisfy(m -> assertThat(m).contains("nums.big: 1 values lie outside integer (e.g. k=b)"))
                .anySatisfy(m -> assertThat(m).contains("nums.doc: 1 documents hold \\u0000 (e.g. k=b)").contains("json"))
                .anySatisfy(m -> assertThat(m).contains("columns wide.").contains("63 bytes"))
                .anySatisfy(m -> assertThat(m).startsWith("tables ").contains("Pair").contains("both become app.pair").contains("--identifier-case preserve"))
                .noneSatisfy(m -> assertThat(m).contains("dates.ok"));
        nothingWritten(target);
    }

    @Test
    void aReaderWithoutSelectOnATableIsRefused() {
        String db = maria.freshDatabase("priv");
        maria.execute(db, "CREATE TABLE open_t (id INT PRIMARY KEY);\nCREATE TABLE closed_t (id INT PRIMARY KEY, secret TEXT)");
        maria.execute(null, "CREATE USER 'narrow'@'%' IDENTIFIED BY 'pw';\nGRANT SELECT (id) ON `" + db + "`.closed_t TO 'narrow'@'%';\n"
                + "GRANT SELECT ON `" + db + "`.open_t TO 'narrow'@'%'");
        MysqlSource narrow = MysqlUri.parse("mysql://narrow@" + maria.host() + ":" + maria.port() + "/" + db);
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "priv_target"));
        MigrationReport r = migrate(new MysqlSource(narrow.connection().withPassword(Secret.of("pw")), narrow.flavour()), target,
                TypeOverrides.NONE);
        assertThat(r.exitCode()).isEqualTo(ExitCode.PRIVILEGES.code());
        assertThat(r.error()).contains("closed_t").contains("GRANT SELECT ON " + db + ".*");
        nothingWritten(target);
    }
}
