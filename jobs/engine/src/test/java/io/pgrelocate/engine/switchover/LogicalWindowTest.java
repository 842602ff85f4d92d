package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logical strategy in the window, local mode: the bulk copy and catch-up run while a real
 * writer writes, only the drain sits in the window, no acknowledged write is lost, and nothing of
 * the replication is left behind whatever the outcome.
 */
class LogicalWindowTest {
    static final String PW = "logical-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();
    final List<String> out = new CopyOnWriteArrayList<>();
    String app;
    String source;
    String target;
    String name;

    @BeforeEach
    void databases() {
        app = TestServers.loginRole(pg, "lw_app", PW);
        source = TestServers.freshDatabase(pg, "lw_src");
        target = TestServers.freshDatabase(pg, "lw_dst");
        name = "lw_" + source;
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "ALTER TABLE writes OWNER TO " + app + "; CREATE SEQUENCE ticket_seq INCREMENT 7; SELECT nextval('ticket_seq'); "
                + "CREATE TABLE bulk AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 50000) g; "
                + "ALTER TABLE bulk ADD PRIMARY KEY (id)");
    }

    @Test
    void theWriterLosesNothingTheWindowHoldsOnlyTheDrainAndNothingIsLeftBehind() throws Exception {
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        await().until(() -> writer.acknowledged().size() > 20);

        MigrationReport r = migrate(line -> {
            if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                writer.pointAt(TestServers.jdbcUrl(pg, target));
            }
        });
        assertThat(r.exitCode()).as(String.join("\n", out) + "\n" + Summary.of(r)).isZero();
        System.out.println(Summary.of(r));
        int afterSwitch = writer.acknowledged().size();
        await().until(() -> writer.acknowledged().size() > afterSwitch + 20);
        writer.close();

        assertThat(ids(target)).containsAll(writer.acknowledged()).containsAll(ids(source));
        // the bulk copy and the catch-up ran before the freeze, while the writer wrote to the source
        assertThat(out.indexOf(out.stream().filter(l -> l.startsWith("logical: caught up")).findFirst().orElseThrow()))
                .isLessThan(out.indexOf(out.stream().filter(l -> l.startsWith("fence: ")).findFirst().orElseThrow()));
        assertThat(out).anyMatch(l -> l.startsWith("logical: drained to "));
        assertThat(r.copy().strategy()).isEqualTo("logical");
        assertThat(Summary.of(r)).contains("copy    strategy logical, 2 jobs: bulk copy and catch-up ");
        assertThat(r.window().writePhases()).extracting(WindowReport.Phase::name).containsExactly("fence", "final sync", "verify", "cutover");
        assertThat(r.verify().differences()).isEmpty();
        try (Db s = Db.connect(TestServers.spec(pg, source)); Db t = Db.connect(TestServers.spec(pg, target))) {
            long onSource = s.one("SELECT last_value FROM ticket_seq", rs -> rs.getLong(1));
            long onTarget = t.one("SELECT last_value FROM ticket_seq", rs -> rs.getLong(1));
            assertThat(onTarget).isEqualTo(onSource);
        }
        // the switch leaves only the reverse stream (the rollback's, which rollback or finish drops), none of the forward one
        ReverseStream reverse = new ReverseStream(TestServers.spec(pg, source), TestServers.spec(pg, target), name, out::add);
        assertThat(reverse.statusLine()).startsWith("reverse stream pgrelocate__" + name + ": applying on");
        assertThat(reverse.drop().clean()).isTrue();
        assertNothingLeftBehind();
    }

    @Test
    void aRowCountDifferenceIsFoundAfterTheThawNotInTheWindowAndReportedLoudlyWithTheRollbackCommand() throws Exception {
        MigrationReport r = migrate(line -> {
            if (line.startsWith("logical: caught up")) {
                pg.executeSql(target, "DELETE FROM bulk WHERE id = 7"); // a row the source has and replication will not bring back
            }
        });

        assertThat(r.exitCode()).as(String.join("\n", out)).isEqualTo(ExitCode.DIFFERENCES.code());
        assertThat(out).contains("verify: sequences match; row counts and content digests follow after the thaw, in the switch point's snapshots");
        assertThat(out.indexOf(SwitchoverWindow.TARGET_LIVE)).as("the target went live before the rows were compared")
                .isLessThan(out.indexOf(out.stream().filter(l -> l.startsWith("!!! VERIFY FOUND")).findFirst().orElseThrow()));
        assertThat(out).anyMatch(l -> l.startsWith("!!! VERIFY FOUND 1 DIFFERENCE(S)") && l.contains("pgrelocate rollback --source"));
        assertThat(r.verify().differences()).anyMatch(d -> d.object().contains("public.bulk"));
        assertThat(r.error()).contains("the source stays fenced");
        assertNothingLeftBehind();
    }

    @Test
    void ddlDuringTheCatchUpIsRefusedBeforeAnyFreezeAndTheSourceStaysWritable() throws Exception {
        MigrationReport r = migrate(line -> {
            if (line.startsWith("logical: subscription ") && line.contains("streaming")) {
                pg.executeSql(source, "ALTER TABLE bulk ADD COLUMN extra int");
            }
        });

        assertThat(r.exitCode()).as(Summary.of(r)).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(r.error()).contains("schema changed", "public.bulk");
        assertThat(out).noneMatch(l -> l.startsWith("fence: raised"));
        try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = c.createStatement()) {
            st.execute("INSERT INTO writes(id) VALUES (-1)");
        }
        assertNothingLeftBehind();
    }

    @Test
    void withoutTheWindowLogicalIsRefusedBeforeAnythingIsCopied() throws SQLException {
        MigrationReport r = new Migration(settings(), out::add, Clock.systemUTC()).migrate(false, Applications.NONE);

        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).startsWith("strategy logical runs in the switchover window: add --switchover");
        assertNothingLeftBehind();
    }

    private void assertNothingLeftBehind() throws SQLException {
        try (Connection s = pg.connect(source); Connection t = pg.connect(target)) {
            assertThat(count(s, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
            assertThat(count(s, "SELECT count(*) FROM pg_publication")).isZero();
            assertThat(count(t, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        }
    }

    private MigrationReport migrate(Consumer<String> spy) {
        return new Migration(settings(), line -> {
            out.add(line);
            spy.accept(line);
        }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    private MigrationSettings settings() {
        LogicalSettings logical = new LogicalSettings(name, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false);
        return new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL), false, null, null, logical);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
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
