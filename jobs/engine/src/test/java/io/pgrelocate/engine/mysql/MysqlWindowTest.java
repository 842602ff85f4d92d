package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.MysqlCopyChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MariaDB source through the switchover window into a real PostgreSQL 15, with an application
 * writing to the source the whole time: the fence (read_only, its sessions killed) refuses the writer,
 * every write it acknowledged before is on the target, verify passes; a failure in the window and a
 * local rollback both give the writer its source back.
 */
class MysqlWindowTest {
    private static final String WRITER = "shop_writer";
    private static final String WRITER_PASSWORD = "writer-pw-1";
    private static MariaDbServer maria;
    private static LocalPostgres pg;

    @BeforeAll
    static void servers() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
    }

    /** A fresh source with a table the writer fills and one with rows of its own; the writer may only read and insert. */
    private static String source() {
        String db = maria.freshDatabase("window");
        maria.execute(db, "CREATE TABLE writes (id BIGINT PRIMARY KEY);\n"
                + "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(8,2));\n"
                + "INSERT INTO item (name, price) VALUES ('tea', 3.50), ('cup', 12.00), ('pot', NULL)");
        maria.execute(null, "CREATE USER IF NOT EXISTS '" + WRITER + "'@'%' IDENTIFIED BY '" + WRITER_PASSWORD + "';\n"
                + "GRANT SELECT, INSERT ON `" + db + "`.* TO '" + WRITER + "'@'%'");
        return db;
    }

    private static MysqlMigrationSettings settings(String db) {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "from_window"));
        return new MysqlMigrationSettings(maria.source(db), target, "app", 2, false, PgNames.Case.LOWER, TypeOverrides.NONE);
    }

    private static AckedWriter writer(String db) {
        AckedWriter w = new AckedWriter("jdbc:mariadb://" + maria.host() + ":" + maria.port() + "/" + db, WRITER, WRITER_PASSWORD);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged().size() >= 20);
        return w;
    }

    private static MigrationReport migrate(MysqlMigrationSettings settings, Applications apps, List<String> out) {
        MigrationReport r = new MysqlMigration(settings, line -> {
            out.add(line);
            System.out.println(line);
        }, Clock.systemUTC()).migrate(false, apps);
        System.out.println(Summary.of(r));
        return r;
    }

    private static String readOnly() {
        try (MysqlDb db = MysqlDb.connect(maria.source("mysql"))) {
            return db.text("SELECT @@global.read_only");
        }
    }

    @Test
    void theWriterIsRefusedEveryAcknowledgedWriteArrivesAndTheFenceStaysUntilRollback() throws Exception {
        String db = source();
        MysqlMigrationSettings settings = settings(db);
        List<String> out = new CopyOnWriteArrayList<>();
        try (AckedWriter w = writer(db)) {
            MigrationReport r = migrate(settings, Applications.switchWithoutApplications(), out);
            assertThat(r.exitCode()).as(r.error()).isEqualTo(0);
            assertThat(r.verify().differences()).isEmpty();
            assertThat(r.verify().tablesCompared()).isEqualTo(2);
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("fence: killed session").contains(WRITER))
                    .anySatisfy(l -> assertThat(l).contains("read_only=ON").contains("no super_read_only"))
                    .contains(SwitchoverWindow.TARGET_LIVE);
            assertThat(w.failures()).as("the writer was refused by the fence")
                    .anySatisfy(f -> assertThat(f).contains("--read-only option"));
            List<Long> acked = w.acknowledged();
            try (Db target = Db.connect(settings.target()); MysqlDb fenced = MysqlDb.connect(settings.source())) {
                List<Long> copied = target.list("SELECT id FROM app.writes ORDER BY id", rs -> rs.getLong(1));
                assertThat(copied).as("every acknowledged write is on the target").containsAll(acked);
                // an insert the fence's KILL cut off after its commit is on both sides, unacknowledged
                assertThat(copied).as("the target holds what the fenced source holds")
                        .containsExactlyElementsOf(fenced.list("SELECT id FROM writes ORDER BY id", rs -> rs.getLong(1)));
            }
            Thread.sleep(1000);
            assertThat(w.acknowledged()).as("the fence stays after the switch: no write reaches the source").hasSameSizeAs(acked);
            assertThat(readOnly()).isEqualTo("1");

            List<String> rollback = new CopyOnWriteArrayList<>();
            new Rollback(rollback::add, Clock.systemUTC()).sourceOnly(settings.source(), false);
            assertThat(rollback).anySatisfy(l -> assertThat(l).contains("fence: lifted").contains("read_only back to OFF"));
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged().size() > acked.size());
            assertThat(readOnly()).isEqualTo("0");
        }
        try (MysqlDb any = MysqlDb.connect(settings.source())) {
            assertThat(any.text("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'pgrelocate'"))
                    .as("the fence's record is gone with the fence").isEqualTo("0");
        }
    }

    @Test
    void aFailureInTheWindowLiftsTheFenceAndTheWriterWritesAgain() throws Exception {
        String db = source();
        MysqlMigrationSettings settings = settings(db);
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> calls = new CopyOnWriteArrayList<>();
        try (AckedWriter w = writer(db)) {
            MigrationReport r = migrate(settings, new FailingCutover(calls), out);
            assertThat(r.exitCode()).isEqualTo(ExitCode.KUBERNETES.code());
            assertThat(r.error()).contains("injected cutover failure");
            assertThat(calls).containsExactly("check", "freeze", "cutOver", "undo");
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("fence: killed session").contains(WRITER))
                    .anySatisfy(l -> assertThat(l).contains("fence: lifted").contains("read_only back to OFF"));
            int before = w.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> w.acknowledged().size() > before + 5);
            assertThat(readOnly()).isEqualTo("0");
        }
    }

    @Test
    void aRunKilledInTheWindowLeavesTheRecordOnTheServerAndRollbackLiftsTheFence() throws Exception {
        String db = source();
        String target = TestServers.freshDatabase(pg, "killed_window");
        List<String> lines = KilledChild.runUntil(MysqlCopyChild.class, "copied ", TestServers.PASSWORD,
                "mariadb://" + MariaDbServer.ADMIN + "@" + maria.host() + ":" + maria.port() + "/" + db, pg.uri(target), "switchover");
        assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("window: the source is fenced"));
        assertThat(readOnly()).as("SIGKILL: nothing in the child lifted the fence").isEqualTo("1");

        List<String> out = new CopyOnWriteArrayList<>();
        new Rollback(out::add, Clock.systemUTC()).sourceOnly(maria.source(db), false);
        assertThat(out).anySatisfy(l -> assertThat(l).contains("fence: lifted", "read_only back to OFF"));
        assertThat(readOnly()).isEqualTo("0");
        maria.execute(db, "INSERT INTO writes VALUES (1)");
    }

    @Test
    void aPrivilegedSessionOfAnotherUserRefusesTheFenceBeforeAnyChange() throws Exception {
        String db = source();
        MysqlMigrationSettings settings = settings(db);
        maria.execute(null, "CREATE USER IF NOT EXISTS 'dba_two'@'%' IDENTIFIED BY 'dba-pw-2';\nGRANT READ_ONLY ADMIN ON *.* TO 'dba_two'@'%'");
        try (java.sql.Connection dba = java.sql.DriverManager.getConnection("jdbc:mariadb://" + maria.host() + ":" + maria.port() + "/",
                "dba_two", "dba-pw-2")) {
            MigrationReport r = migrate(settings, Applications.switchWithoutApplications(), new CopyOnWriteArrayList<>());
            assertThat(r.exitCode()).isEqualTo(ExitCode.FENCE.code());
            assertThat(r.error()).contains("no super_read_only").contains("dba_two");
            assertThat(readOnly()).isEqualTo("0");
            assertThat(dba.isValid(2)).as("nothing was killed").isTrue();
        } finally {
            maria.execute(null, "DROP USER 'dba_two'@'%'");
        }
    }

    @Test
    void aWindowThatGoesBackOntoTheSourceIsRefusedBeforeAnyChange() {
        String db = source();
        List<String> calls = new CopyOnWriteArrayList<>();
        MigrationReport r = migrate(settings(db), new FailingCutover(calls, false), new CopyOnWriteArrayList<>());
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).contains("PGRELOCATE_CUTOVER_HOSTS", "nothing was changed");
        assertThat(calls).isEmpty();
        assertThat(readOnly()).isEqualTo("0");
    }

    @Test
    void aPrivilegedSessionThatCameInDuringTheWindowRefusesTheSwitchAndTheFenceIsLifted() throws Exception {
        String db = source();
        maria.execute(null, "CREATE USER IF NOT EXISTS 'dba_three'@'%' IDENTIFIED BY 'dba-pw-3';\nGRANT READ_ONLY ADMIN ON *.* TO 'dba_three'@'%'");
        List<java.sql.Connection> intruder = new CopyOnWriteArrayList<>();
        List<String> calls = new CopyOnWriteArrayList<>();
        try {
            MigrationReport r = migrate(settings(db), new FailingCutover(calls) {
                @Override
                public void fence(io.pgrelocate.engine.switchover.FenceRecord record) {
                    if (record != null && intruder.isEmpty()) {
                        try { // right after the fence rose: an account read_only does not bind logs in
                            intruder.add(java.sql.DriverManager.getConnection("jdbc:mariadb://" + maria.host() + ":" + maria.port() + "/",
                                    "dba_three", "dba-pw-3"));
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }, new CopyOnWriteArrayList<>());
            assertThat(r.exitCode()).isEqualTo(ExitCode.FENCE.code());
            assertThat(r.error()).contains("dba_three", "the switch is refused and the fence lifted");
            assertThat(calls).doesNotContain("cutOver").contains("undo");
            assertThat(readOnly()).isEqualTo("0");
        } finally {
            for (java.sql.Connection c : intruder) {
                c.close();
            }
            maria.execute(null, "DROP USER 'dba_three'@'%'");
        }
    }

    /** No application of its own; its cutover fails inside the window, after the fence, copy and verify. */
    private static class FailingCutover implements Applications {
        private final List<String> calls;
        private final boolean switches;

        FailingCutover(List<String> calls) {
            this(calls, true);
        }

        FailingCutover(List<String> calls, boolean switches) {
            this.calls = calls;
            this.switches = switches;
        }

        @Override
        public List<String> check() {
            calls.add("check");
            return List.of();
        }

        @Override
        public boolean switchesToTarget() {
            return switches;
        }

        @Override
        public void freeze() {
            calls.add("freeze");
        }

        @Override
        public void cutOver() {
            calls.add("cutOver");
            throw new EngineException(ExitCode.KUBERNETES, "injected cutover failure");
        }

        @Override
        public void thaw() {
            calls.add("thaw");
        }

        @Override
        public void undo() {
            calls.add("undo");
        }

        @Override
        public ApplicationsReport report() {
            return null;
        }
    }
}
