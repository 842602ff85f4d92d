package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.MysqlCopyChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A copy that fails leaves the target as it was; one killed half-way is redone by the next run, without --clean. */
class MysqlFailedCopyTest {
    private static MariaDbServer maria;
    private static LocalPostgres pg;
    private static String sourceDb;

    @BeforeAll
    static void servers() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
        sourceDb = maria.freshDatabase("halfway");
        maria.execute(sourceDb, "CREATE TABLE big (id INT PRIMARY KEY, label VARCHAR(60), size ENUM('s','m') NOT NULL);\n"
                + "INSERT INTO big SELECT seq, CONCAT('row ', seq, REPEAT('x', seq % 40)), IF(seq % 2, 's', 'm') FROM seq_1_to_300000;\n"
                + "CREATE TABLE small (id INT PRIMARY KEY, big_id INT, FOREIGN KEY (big_id) REFERENCES big (id));\n"
                + "INSERT INTO small VALUES (1, 1), (2, 300000);\nANALYZE TABLE big, small");
    }

    private static MigrationReport migrate(ConnectionSpec target) {
        return new MysqlMigration(new MysqlMigrationSettings(maria.source(sourceDb), target, "app", 1, false, PgNames.Case.LOWER,
                TypeOverrides.NONE), System.out::println, Clock.systemUTC()).migrate(false);
    }

    private static void copiedAndVerified(ConnectionSpec target) {
        MigrationReport again = migrate(target);
        assertThat(again.exitCode()).as(again.error()).isZero();
        assertThat(again.verify().differences()).isEmpty();
        assertThat(again.verify().rowsCompared()).isEqualTo(300_002);
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT count(*)::text FROM pg_description WHERE description LIKE 'pgrelocate%'")).isEqualTo("0");
        }
    }

    @Test
    void aCopyThatFailsHalfWayLeavesTheTargetAsItWasAndARerunWorks() throws Exception {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "failed_target"));
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> migrate(target));
        try (Db watcher = Db.connect(target)) {
            // the copy's server session ends while rows stream in: the copy fails as on a lost connection
            while (!run.isDone() && !"t".equals(watcher.text("SELECT coalesce(bool_or(pg_terminate_backend(pid)), false)::text "
                    + "FROM pg_stat_activity WHERE query LIKE 'COPY%' AND pid <> pg_backend_pid()"))) {
                Thread.sleep(10);
            }
            MigrationReport failed = run.get(120, TimeUnit.SECONDS);
            assertThat(failed.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
            assertThat(failed.error()).contains("the target is as it was");
            assertThat(watcher.text("SELECT count(*)::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'app'")).isEqualTo("0");
            assertThat(watcher.text("SELECT to_regtype('app.big_size')::text")).isNull();
        }
        copiedAndVerified(target);
    }

    @Test
    void aCopyKilledHalfWayIsRedoneByTheNextRunWithoutClean() throws Exception {
        String database = TestServers.freshDatabase(pg, "killed_target");
        ConnectionSpec target = TestServers.spec(pg, database);
        List<String> lines = KilledChild.runUntil(MysqlCopyChild.class, "copied ", TestServers.PASSWORD,
                "mariadb://" + MariaDbServer.ADMIN + "@" + maria.host() + ":" + maria.port() + "/" + sourceDb, pg.uri(database));
        assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("copied app.big: 300000 rows"));
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT count(*)::text FROM app.big")).isEqualTo("300000");
            assertThat(db.text("SELECT obj_description('app.small'::regclass, 'pg_class')")).startsWith("pgrelocate: unfinished copy");
        }
        copiedAndVerified(target);
    }
}
