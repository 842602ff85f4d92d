package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
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
        SwitchedDatabases dbs = new SwitchedDatabases("kb");
        String source = dbs.source;
        String target = dbs.target;
        String name = dbs.name;
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "ALTER TABLE writes OWNER TO " + app + "; CREATE SEQUENCE ticket_seq; SELECT nextval('ticket_seq')");
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        List<String> out = new CopyOnWriteArrayList<>();
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            MigrationReport r = dbs.migrate(Strategy.LOGICAL, line -> {
                out.add(line);
                if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                    writer.pointAt(TestServers.jdbcUrl(pg, target));
                }
            });
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
        assertThat(dbs.ids(source)).containsAll(writer.acknowledged());
        assertThat(dbs.value(source, "SELECT last_value FROM ticket_seq")).isEqualTo(dbs.value(target, "SELECT last_value FROM ticket_seq"))
                .isEqualTo("6");
        assertThat(dbs.leftovers()).isEqualTo(SwitchedDatabases.NOTHING_LEFT);
    }
}
