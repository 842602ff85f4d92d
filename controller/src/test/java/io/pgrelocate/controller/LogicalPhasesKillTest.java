package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.ReplicateChild;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code replicate} SIGKILLed: during the catch-up the replication it set up streams on, and
 * {@code switch} completes it with every acknowledged write; during the bulk copy a rerun refuses
 * (exit 22) saying why it must start over, and {@code abort} leaves nothing behind.
 */
class LogicalPhasesKillTest {
    static final String PW = "kill-phase-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();

    @TempDir
    Path dir;

    @Test
    void killedDuringTheCatchUpTheSwitchStillLosesNothing() throws Exception {
        String app = TestServers.loginRole(pg, "kp_app", PW);
        String source = TestServers.freshDatabase(pg, "kp_src");
        String target = TestServers.freshDatabase(pg, "kp_dst");
        String name = "kp-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app);
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            List<String> lines = KilledChild.runUntil(ReplicateChild.class, "catch-up: lag", TestServers.PASSWORD,
                    pg.uri(source), pg.uri(target), name, "catch-up: lag");
            assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("catch-up: lag"));
            Cli cli = Cli.local();
            int code = cli.run(args("switch", source, target, name));
            assertThat(code).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains(SwitchoverWindow.TARGET_LIVE);
        } finally {
            writer.close();
        }
        Set<Long> onTarget = new HashSet<>();
        try (Connection c = pg.connect(target); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM writes")) {
            while (rs.next()) {
                onTarget.add(rs.getLong(1));
            }
        }
        assertThat(onTarget).as("every acknowledged write is on the target").containsAll(writer.acknowledged());
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%'")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription")).isZero();
    }

    @Test
    void killedDuringTheBulkCopyARerunSaysWhyItMustStartOverAndAbortClears() throws Exception {
        String source = TestServers.freshDatabase(pg, "kb_src");
        String target = TestServers.freshDatabase(pg, "kb_dst");
        String name = "kb-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE t(id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 1000)");
        List<String> lines = KilledChild.runUntil(ReplicateChild.class, "logical: slot ", TestServers.PASSWORD,
                pg.uri(source), pg.uri(target), name, "logical: slot ");
        assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("logical: slot "));
        Cli cli = Cli.local();
        assertThat(cli.run(args("replicate", source, target, name))).as(cli.out() + cli.err()).isEqualTo(22);
        assertThat(cli.out() + cli.err()).contains("stopped before its bulk copy finished").contains("pgrelocate abort");
        cli.clear();
        assertThat(cli.run(args("abort", source, target, name))).as(cli.out() + cli.err()).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%'")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription")).isZero();
    }

    private String[] args(String command, String source, String target, String name) throws Exception {
        Path pw = dir.resolve("pw");
        if (!Files.exists(pw)) {
            Files.writeString(Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    TestServers.PASSWORD);
        }
        return new String[] {command, "--source", pg.uri(source), "--source-password-file", pw.toString(),
                "--target", pg.uri(target), "--target-password-file", pw.toString(), "--migration", name};
    }

    private long count(String db, String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
