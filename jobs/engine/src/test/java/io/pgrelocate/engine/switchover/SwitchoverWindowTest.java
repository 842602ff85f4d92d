package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.verify.VerifyMode;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Local mode's window (no applications) with a real writer: no acknowledged write is lost, none reaches the source after the fence. */
class SwitchoverWindowTest {
    static final String PW = "writer-Pa55";
    static final String PSQL = "/usr/lib/postgresql/15/bin/psql";
    final LocalPostgres pg = TestServers.pg15();
    final List<String> out = new CopyOnWriteArrayList<>();
    String app;
    String source;
    String target;

    @BeforeEach
    void databases() {
        app = TestServers.loginRole(pg, "window_app", PW);
        source = TestServers.freshDatabase(pg, "win_src");
        target = TestServers.freshDatabase(pg, "win_dst");
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp()); "
                + "ALTER TABLE writes OWNER TO " + app + "; CREATE TABLE bulk AS SELECT g AS id, md5(g::text) AS body FROM generate_series(1, 20000) g");
    }

    @AfterEach
    void reset() {
        Interruption.reset();
    }

    @Test
    void everyAcknowledgedWriteIsOnTheTargetAndNoneReachedTheSourceAfterTheFence() throws Exception {
        AckedWriter writer = writerOnTheSource();

        MigrationReport r = migrate(followingTheSwitch(writer, 0), false);
        int afterSwitch = writer.acknowledged().size();
        await().until(() -> writer.acknowledged().size() > afterSwitch + 50);
        writer.close();

        assertThat(r.exitCode()).as(Summary.of(r)).isZero();
        System.out.println(Summary.of(r));
        List<Long> onTarget = ids(target);
        assertThat(onTarget).containsAll(writer.acknowledged());
        assertThat(onTarget).containsAll(ids(source));
        assertThat(writer.failures()).as("the writer met the fence").isNotEmpty();
        WindowReport.Phase fence = r.window().writePhases().get(0);
        assertThat(lastWrite(source)).as("no write reached the source after the fence").isBefore(fence.started().plus(fence.took()));
        assertThat(out).contains(SwitchoverWindow.TARGET_LIVE);
        // the fence stays after the switch: the source refuses the application
        assertThatThrownBy(() -> DriverManager.getConnection(jdbc(source), app, PW).close()).hasMessageContaining("permission denied");
        assertThat(r.window().mode()).isEqualTo("switch");
        assertThat(r.window().writePhases()).extracting(WindowReport.Phase::name).containsExactly("fence", "final sync", "verify", "cutover");
        assertThat(r.window().appPhases()).extracting(WindowReport.Phase::name).containsExactly("freeze", "write window", "thaw");
        assertThat(r.window().writeWindow()).isPositive();
    }

    @Test
    void aDryRunPrintsTheWindowsPlanAndFencesNothing() throws SQLException {
        try (Connection open = DriverManager.getConnection(jdbc(source), app, PW)) {
            MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                    TestServers.copyOptions(TestServers.workDir(), true), false);
            MigrationReport r = new Migration(settings, out::add, Clock.systemUTC()).migrate(true, Applications.switchWithoutApplications());

            assertThat(r.exitCode()).isZero();
            assertThat(out).anyMatch(l -> l.startsWith("dry run: would fence " + source + ": ALTER DATABASE … SET default_transaction_read_only = on, revoke CONNECT from PUBLIC"))
                    .anyMatch(l -> l.startsWith("dry run: would fence: terminate the 1 session(s) connected now: ") && l.contains(" of " + app + " "))
                    .anyMatch(l -> l.startsWith("dry run: would switch: print 'switchover: target is live'"));
            assertThat(open.isValid(5)).isTrue();
        }
        writeAsApp(source);
    }

    @Test
    void aRestoreThatFailsInTheWindowLiftsTheFenceAndTheSourceTakesWritesAgain() throws SQLException {
        pg.executeSql(target, "CREATE TABLE writes(other text)");

        MigrationReport r = migrate(line -> { }, true);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(out).noneMatch(SwitchoverWindow.TARGET_LIVE::equals);
        assertThat(out).anyMatch(l -> l.startsWith("fence: lifted from " + source));
        writeAsApp(source);
    }

    @Test
    void aStopRequestedDuringTheCopyEndsInExit19WithTheSourceUnfenced() throws SQLException {
        MigrationReport r = migrate(line -> {
            if (line.startsWith("dump:")) {
                Interruption.request();
            }
        }, false);

        assertThat(r.exitCode()).as(Summary.of(r)).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.error()).contains("interrupted during");
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            assertThat(Fence.read(db)).isEmpty();
        }
        writeAsApp(source);
    }

    @Test
    void atSwitchProvesTheContentAfterTheThawInTheSwitchPointsSnapshotsWhileTheTargetTakesWrites() throws Exception {
        AckedWriter writer = writerOnTheSource();

        // the target changes before the digests run
        MigrationReport r = migrate(followingTheSwitch(writer, 20), false, VerifyMode.AT_SWITCH);
        writer.close();

        assertThat(r.exitCode()).as(Summary.of(r)).isZero();
        assertThat(out).contains("verify: sequences match; row counts and content digests follow after the thaw, in the switch point's snapshots");
        assertThat(r.verify().differences()).isEmpty();
        assertThat(ids(target)).containsAll(writer.acknowledged());
    }

    @Test
    void atSwitchReportsADifferenceFoundAfterTheThawLoudlyWithTheRollbackCommand() {
        MigrationReport r = migrate(line -> {
            if (line.startsWith("restore: done")) {
                pg.executeSql(target, "UPDATE bulk SET body = 'damaged' WHERE id = 7"); // same row count, other content
            }
        }, false, VerifyMode.AT_SWITCH);

        assertThat(r.exitCode()).isEqualTo(ExitCode.DIFFERENCES.code());
        assertThat(out).contains(SwitchoverWindow.TARGET_LIVE);
        assertThat(out).anyMatch(l -> l.startsWith("!!! VERIFY FOUND 1 DIFFERENCE(S)") && l.contains("pgrelocate rollback --source"));
        assertThat(r.error()).contains("the source stays fenced");
    }

    @Test
    void theSchemaHookMigratesTheTargetBeforeItGoesLive() throws Exception {
        java.nio.file.Path migration = java.nio.file.Files.createTempFile("pgrelocate-hook-", ".sql");
        java.nio.file.Files.writeString(migration, "ALTER TABLE writes ADD COLUMN note text;\n");

        MigrationReport r = migrate(line -> { }, false, VerifyMode.BEFORE_THAW, PSQL + " -v ON_ERROR_STOP=1 -f " + migration);

        assertThat(r.exitCode()).as(Summary.of(r)).isZero();
        assertThat(out).contains("hook: ALTER TABLE");
        assertThat(out.indexOf("hook: ALTER TABLE")).isLessThan(out.indexOf(SwitchoverWindow.TARGET_LIVE));
        assertThat(r.window().writePhases()).extracting(WindowReport.Phase::name).contains("schema hook", "cutover");
        try (Connection c = pg.connect(target); Statement st = c.createStatement()) {
            st.execute("SELECT note FROM writes");
        }
        java.nio.file.Files.delete(migration);
    }

    @Test
    void aFailingSchemaHookLeavesTheSourceUnfencedAndTheTargetNotLive() throws SQLException {
        MigrationReport r = migrate(line -> { }, false, VerifyMode.BEFORE_THAW, PSQL + " -v ON_ERROR_STOP=1 -f /nonexistent.sql");

        assertThat(r.exitCode()).as(Summary.of(r)).isEqualTo(ExitCode.HOOK_FAILED.code());
        assertThat(out).anyMatch(l -> l.startsWith("hook: ") && l.contains("/nonexistent.sql"));
        assertThat(out).noneMatch(SwitchoverWindow.TARGET_LIVE::equals);
        writeAsApp(source);
    }

    AckedWriter writerOnTheSource() {
        AckedWriter writer = new AckedWriter(jdbc(source), app, PW);
        await().until(() -> writer.acknowledged().size() > 20);
        return writer;
    }

    /** What a cutover does to an application: from the fixed line on it writes to the target (here {@code more} times before the window goes on). */
    Consumer<String> followingTheSwitch(AckedWriter writer, int more) {
        return line -> {
            if (line.equals(SwitchoverWindow.TARGET_LIVE)) {
                writer.pointAt(jdbc(target));
                int now = writer.acknowledged().size();
                await().until(() -> writer.acknowledged().size() >= now + more);
            }
        };
    }

    MigrationReport migrate(Consumer<String> spy, boolean allowNonEmpty) {
        return migrate(spy, allowNonEmpty, VerifyMode.BEFORE_THAW);
    }

    MigrationReport migrate(Consumer<String> spy, boolean allowNonEmpty, VerifyMode verify) {
        return migrate(spy, allowNonEmpty, verify, null);
    }

    MigrationReport migrate(Consumer<String> spy, boolean allowNonEmpty, VerifyMode verify, String hook) {
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true), allowNonEmpty, verify, hook);
        return new Migration(settings, line -> {
            out.add(line);
            spy.accept(line);
        }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    void writeAsApp(String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc(db), app, PW); Statement st = c.createStatement()) {
            st.execute("INSERT INTO writes(id) VALUES (-1)");
        }
    }

    String jdbc(String db) {
        return TestServers.jdbcUrl(pg, db);
    }

    java.time.Instant lastWrite(String db) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(at) FROM writes")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    List<Long> ids(String db) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM writes")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }
}
