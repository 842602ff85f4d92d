package io.pgrelocate.controller;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI after a local switch: {@code rollback --source --target} refuses with exit 24 naming the table the target
 * changed when no reverse stream brings it back (dump), succeeds with {@code --discard-target-writes}; after a logical
 * switch {@code status} shows the reverse stream and {@code finish} ends the reverse stream, found by its record without {@code --migration}.
 */
class RollbackAfterSwitchCliTest {
    final LocalPostgres pg = TestServers.pg15Logical();

    @TempDir
    Path dir;

    @Test
    void rollbackRefusesToLoseTheTargetsWritesWithExit24ThenDiscardsThemWhenTold() throws Exception {
        String source = TestServers.freshDatabase(pg, "rc_src");
        String target = TestServers.freshDatabase(pg, "rc_dst");
        pg.executeSql(source, "CREATE TABLE orders(id int PRIMARY KEY)");
        assertThat(switchTo(source, target, Strategy.DUMP).exitCode()).isZero();
        pg.executeSql(target, "INSERT INTO orders VALUES (1)");
        Cli cli = Cli.local();

        int code = cli.run(args("rollback", source, target));

        assertThat(code).as(cli.out() + cli.err()).isEqualTo(24);
        assertThat(cli.err()).contains("public.orders (1 row change(s))", "--discard-target-writes", "the applications are back on the target");
        cli.clear();
        assertThat(cli.run(args("rollback", source, target, "--discard-target-writes"))).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("rollback: DISCARDING the target's writes since the switch", "rollback window: write window");
        assertThat(count(source, "SELECT count(*) FROM pg_database WHERE datname = current_database() AND has_database_privilege('public', datname, 'CONNECT')"))
                .as("the source takes connections again").isOne();
    }

    @Test
    void finishEndsTheReverseStreamOfALogicalSwitch() throws Exception {
        String source = TestServers.freshDatabase(pg, "rf_src");
        String target = TestServers.freshDatabase(pg, "rf_dst");
        pg.executeSql(source, "CREATE TABLE orders(id int PRIMARY KEY)");
        assertThat(switchTo(source, target, Strategy.LOGICAL).exitCode()).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pgrelocate__m_" + source + "'")).isOne();
        Cli cli = Cli.local();
        assertThat(cli.run(args("status", source, target, "--migration", "m_" + source))).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).as("status after the switch shows the way back").contains("reverse stream pgrelocate__m_" + source + ": applying on");
        cli.clear();

        assertThat(cli.run(args("finish", source, target))).as(cli.out() + cli.err()).isZero();

        assertThat(cli.out()).contains("teardown: dropped replication slot pgrelocate__m_" + source, "finish: the reverse stream");
        assertThat(count(target, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '%" + source + "'")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_subscription WHERE subname LIKE '%" + source + "'")).isZero();
    }

    private MigrationReport switchTo(String source, String target, Strategy strategy) {
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(strategy), false, null, null,
                new LogicalSettings("m_" + source, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false));
        return new Migration(settings, System.out::println, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    private String[] args(String command, String source, String target, String... more) throws Exception {
        Path pw = dir.resolve("pw");
        if (!Files.exists(pw)) {
            Files.writeString(Files.createFile(pw, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    TestServers.PASSWORD);
        }
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(command, "--source", pg.uri(source), "--source-password-file",
                pw.toString(), "--target", pg.uri(target), "--target-password-file", pw.toString()));
        all.addAll(java.util.List.of(more));
        return all.toArray(String[]::new);
    }

    private long count(String db, String sql) throws Exception {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
