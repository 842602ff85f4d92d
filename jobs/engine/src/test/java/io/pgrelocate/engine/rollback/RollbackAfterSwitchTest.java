package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Rollback after the switch, local mode, real servers: a logical switch leaves a reverse stream
 * that applies every write the applications make on the target to the fenced source (which still
 * refuses the applications themselves), and rollback drains it in a window of its own, losing no
 * acknowledged write; without a reverse stream (dump, or DDL on the target stopped it) rollback
 * refuses, naming what the target took, unless told to discard it.
 */
class RollbackAfterSwitchTest {
    static final String PW = "reverse-Pa55";
    final SwitchedDatabases dbs = new SwitchedDatabases("rv");
    final LocalPostgres pg = dbs.pg;
    final List<String> out = new CopyOnWriteArrayList<>();
    final String source = dbs.source;
    final String target = dbs.target;
    final String name = dbs.name;
    String app;

    @BeforeEach
    void databases() {
        app = TestServers.loginRole(pg, "rv_app", PW);
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "ALTER TABLE writes OWNER TO " + app + "; "
                + "CREATE TABLE tickets(id bigserial PRIMARY KEY, body text); ALTER TABLE tickets OWNER TO " + app + "; "
                + "INSERT INTO tickets(body) SELECT 'before ' || g FROM generate_series(1, 100) g; "
                + "CREATE TABLE bulk AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 20000) g; ALTER TABLE bulk ADD PRIMARY KEY (id)");
    }

    @Test
    void everyAcknowledgedWriteOnTheTargetIsOnTheSourceAfterTheRollbackAndTheFenceHeldMeanwhile() throws Exception {
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        await().until(() -> writer.acknowledged().size() > 20);
        MigrationReport r = migrate(Strategy.LOGICAL, line -> {
            if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                writer.pointAt(TestServers.jdbcUrl(pg, target));
            }
        });
        assertThat(r.exitCode()).as(String.join("\n", out) + "\n" + Summary.of(r)).isZero();
        assertThat(out).anyMatch(l -> l.startsWith("logical: reverse stream pgrelocate__" + name + " applies"));
        int atSwitch = writer.acknowledged().size();
        await().until(() -> writer.acknowledged().size() > atSwitch + 50);
        try (Connection t = DriverManager.getConnection(TestServers.jdbcUrl(pg, target), app, PW); Statement st = t.createStatement()) {
            st.execute("INSERT INTO tickets(body) SELECT 'on the target ' || g FROM generate_series(1, 30) g");
            st.execute("UPDATE tickets SET body = 'changed on the target' WHERE id = 1");
            st.execute("DELETE FROM tickets WHERE id = 2");
        }

        // while the reverse stream applies: its writes arrive, the applications' cannot
        await().atMost(Duration.ofSeconds(30)).until(() -> value(source, "SELECT count(*) FROM tickets").equals("129"));
        assertThat(value(source, "SELECT body FROM tickets WHERE id = 1")).isEqualTo("changed on the target");
        assertThatThrownBy(() -> DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW).close())
                .hasMessageContaining("CONNECT");
        try (Connection s = pg.connect(source); Statement st = s.createStatement()) {
            assertThatThrownBy(() -> st.execute("INSERT INTO writes(id) VALUES (-1)")).hasMessageContaining("read-only");
        }
        assertThat(new ReverseStream(TestServers.spec(pg, source), TestServers.spec(pg, target), name, out::add).statusLine())
                .contains("applying on", "retains");

        out.clear();
        try (Db s = Db.connect(TestServers.spec(pg, source))) {
            new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target)).sourceOnly(s, name, false);
        }
        writer.pointAt(TestServers.jdbcUrl(pg, source));
        int afterRollback = writer.acknowledged().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > afterRollback + 50);
        writer.close();

        System.out.println(String.join("\n", out));
        assertThat(out).anyMatch(l -> l.startsWith("drain: target has applied "))
                .anyMatch(l -> l.startsWith("rollback window: write window "))
                .anyMatch(l -> l.startsWith("fence: lifted from " + source));
        assertThat(dbs.ids(source)).containsAll(writer.acknowledged());
        // sequences carried back: the next insert on the source takes an id no row on either side used
        long maxUsed = Long.parseLong(value(target, "SELECT max(id) FROM tickets"));
        try (Connection s = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("INSERT INTO tickets(body) VALUES ('after the rollback') RETURNING id")) {
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThan(maxUsed);
        }
        // the target stays fenced; nothing of either stream is left
        assertThatThrownBy(() -> DriverManager.getConnection(TestServers.jdbcUrl(pg, target), app, PW).close())
                .hasMessageContaining("CONNECT");
        assertThat(dbs.leftovers()).isEqualTo(SwitchedDatabases.NOTHING_LEFT);
    }

    @Test
    void finishEndsTheWayBackFoundByItsRecordAndLeavesNothingOfEitherStream() throws Exception {
        MigrationReport r = migrate(Strategy.LOGICAL, line -> { });
        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        out.clear();
        new Finish(TestServers.spec(pg, source), TestServers.spec(pg, target), out::add).run("pgrelocate", true);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).startsWith("reverse stream pgrelocate__" + name + ": applying on").contains("behind", "retains");
        assertThat(out.get(1)).startsWith("dry run: would drop subscription pgrelocate__" + name);
        assertThat(dbs.leftovers()).isNotEqualTo(SwitchedDatabases.NOTHING_LEFT);

        new Finish(TestServers.spec(pg, source), TestServers.spec(pg, target), out::add).run("pgrelocate", false);

        assertThat(dbs.leftovers()).isEqualTo(SwitchedDatabases.NOTHING_LEFT);
        try (Db t = Db.connect(TestServers.spec(pg, target))) {
            assertThat(SwitchPoint.read(t)).isEmpty();
        }
        assertThat(out).anyMatch(l -> l.startsWith("finish: the reverse stream pgrelocate__" + name + " is gone"));
    }

    @Test
    void ddlOnTheTargetStopsTheReverseStreamLoudlyAndRollbackThenRefusesUnlessTold() throws Exception {
        MigrationReport r = migrate(Strategy.LOGICAL, line -> { });
        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        pg.executeSql(target, "CREATE TABLE added_after(id int PRIMARY KEY); INSERT INTO added_after VALUES (1)");
        ReverseStream reverse = new ReverseStream(TestServers.spec(pg, source), TestServers.spec(pg, target), name, out::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> reverse.statusLine().contains("STOPPED"));

        assertRefusedThenDiscarded("public.added_after (created since the switch)");
        assertThat(dbs.leftovers()).isEqualTo(SwitchedDatabases.NOTHING_LEFT);
    }

    @Test
    void aDumpSwitchHasNoReverseStreamRollbackRefusesNamingTheTableThenDiscardsWhenTold() throws Exception {
        MigrationReport r = migrate(Strategy.DUMP, line -> { });
        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        try (Connection t = DriverManager.getConnection(TestServers.jdbcUrl(pg, target), app, PW); Statement st = t.createStatement()) {
            st.execute("INSERT INTO tickets(body) VALUES ('only on the target')");
        }
        assertRefusedThenDiscarded("public.tickets (1 row change(s))");
        assertThat(value(source, "SELECT count(*) FROM tickets WHERE body = 'only on the target'")).isEqualTo("0");
    }

    private void assertRefusedThenDiscarded(String named) throws Exception {
        out.clear();
        try (Db s = Db.connect(TestServers.spec(pg, source))) {
            new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target)).sourceOnly(s, name, true);
            assertThat(out).anyMatch(l -> l.startsWith("dry run: would run the rollback window: freeze the applications, fence the target"));
            assertThat(Fence.read(s)).as("a dry run changes nothing").isPresent();
            Rollback refusing = new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target));
            assertThatThrownBy(() -> refusing.sourceOnly(s, name, false)).isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.TARGET_WRITES);
                assertThat(e.getMessage()).contains(named, "--discard-target-writes",
                        "the applications are back on the target " + TestServers.spec(pg, target).display() + ", writable");
            });
        }
        // refused: the target takes writes again, the source is still fenced
        try (Connection t = DriverManager.getConnection(TestServers.jdbcUrl(pg, target), app, PW); Statement st = t.createStatement()) {
            st.execute("INSERT INTO writes(id) VALUES (-7)");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW).close()).hasMessageContaining("CONNECT");

        out.clear();
        try (Db s = Db.connect(TestServers.spec(pg, source))) {
            new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target)).discardingTargetWrites(true).sourceOnly(s, name, false);
        }
        System.out.println(String.join("\n", out));
        assertThat(out).anyMatch(l -> l.startsWith("rollback: DISCARDING the target's writes since the switch") && l.contains(named));
        try (Connection s = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = s.createStatement()) {
            st.execute("INSERT INTO writes(id) VALUES (-8)");
        }
    }

    private MigrationReport migrate(Strategy strategy, Consumer<String> spy) {
        return dbs.migrate(strategy, line -> {
            out.add(line);
            spy.accept(line);
        });
    }

    private String value(String db, String sql) throws SQLException {
        return dbs.value(db, sql);
    }
}
