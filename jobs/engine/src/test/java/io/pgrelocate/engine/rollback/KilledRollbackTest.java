package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rollback window SIGKILLed at each of its steps (no finally block, no shutdown hook runs), then
 * rollback run again: it finishes, every write acknowledged on the target is on the source, and
 * nothing of either stream is left.
 */
class KilledRollbackTest {
    static final String PW = "killed-rb-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();

    @ParameterizedTest
    @ValueSource(strings = {"fence: database ", "drain: target has applied", "carry: ", "fence: lifted from ", "teardown: dropped subscription"})
    void aRollbackKilledAtAnyStepIsFinishedByTheNextOneAndLosesNothing(String killAt) throws Exception {
        String app = TestServers.loginRole(pg, "kb_app", PW);
        String source = TestServers.freshDatabase(pg, "kb_src");
        String target = TestServers.freshDatabase(pg, "kb_dst");
        String name = "kb_" + source;
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "ALTER TABLE writes OWNER TO " + app + "; CREATE SEQUENCE ticket_seq; SELECT nextval('ticket_seq')");
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        List<String> out = new CopyOnWriteArrayList<>();
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            LogicalSettings logical = new LogicalSettings(name, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false);
            MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                    TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL), false, null, null, logical);
            MigrationReport r = new Migration(settings, line -> {
                out.add(line);
                if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                    writer.pointAt(TestServers.jdbcUrl(pg, target));
                }
            }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
            assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
            int atSwitch = writer.acknowledged().size();
            await().until(() -> writer.acknowledged().size() > atSwitch + 50);
            pg.executeSql(target, "SELECT nextval('ticket_seq') FROM generate_series(1, 5)");

            List<String> lines = KilledChild.runUntil(RollbackChild.class, killAt, TestServers.PASSWORD, pg.uri(source), pg.uri(target), name, killAt);
            assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith(killAt));

            out.clear();
            try (Db s = Db.connect(TestServers.spec(pg, source))) {
                new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target)).sourceOnly(s, name, false);
            }
            System.out.println(String.join("\n", out));
            writer.pointAt(TestServers.jdbcUrl(pg, source));
            int afterRollback = writer.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > afterRollback + 20);
        } finally {
            writer.close();
        }
        assertThat(ids(source)).containsAll(writer.acknowledged());
        assertThat(value(source, "SELECT last_value FROM ticket_seq")).isEqualTo(value(target, "SELECT last_value FROM ticket_seq")).isEqualTo("6");
        assertThat(value(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '%" + name + "'")).isEqualTo("0");
        assertThat(value(source, "SELECT count(*) FROM pg_subscription WHERE subname LIKE '%" + name + "'")).isEqualTo("0");
        assertThat(value(target, "SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    private String value(String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private List<Long> ids(String db) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM writes")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }
}
