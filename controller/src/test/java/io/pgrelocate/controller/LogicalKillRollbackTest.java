package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.testing.AckedWriter;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.testing.WindowChild;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A logical migration SIGKILLed at each point (catch-up, fence, target live), then a local
 * rollback while an application keeps writing to the source: the target receives nothing from the
 * source afterwards, nothing of the replication is left on either server, and the target can be dropped.
 */
class LogicalKillRollbackTest {
    static final String PW = "kill-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"logical: subscription ", "window: the source is fenced", SwitchoverWindow.TARGET_LIVE})
    void aRunKilledAtAnyPointIsRolledBackWithNothingStreamingAndNothingLeft(String killAt) throws Exception {
        String app = TestServers.loginRole(pg, "kr_app", PW);
        String source = TestServers.freshDatabase(pg, "kr_src");
        String target = TestServers.freshDatabase(pg, "kr_dst");
        String name = "kr-" + source.replace('_', '-');
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app);
        AckedWriter writer = new AckedWriter(TestServers.jdbcUrl(pg, source), app, PW);
        try {
            await().until(() -> writer.acknowledged().size() > 20);
            List<String> lines = KilledChild.runUntil(WindowChild.class, killAt, TestServers.PASSWORD, pg.uri(source), pg.uri(target), name, killAt);
            assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith(killAt));

            Cli cli = Cli.local();
            Path pw = passwordFile();
            String objects = "pgrelocate_" + name.replace('-', '_');
            assertThat(cli.run("rollback", "--dry-run", "--source", pg.uri(source), "--source-password-file", pw.toString(),
                    "--target", pg.uri(target), "--target-password-file", pw.toString())).isZero();
            assertThat(cli.out()).contains("dry run: would drop subscription " + objects + " on ",
                    "then replication slot and publication " + objects + " on ");
            assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isOne();
            cli.clear();
            int code = cli.run("rollback", "--source", pg.uri(source), "--source-password-file", pw.toString(),
                    "--target", pg.uri(target), "--target-password-file", pw.toString());
            assertThat(code).as(cli.out() + cli.err()).isZero();
            assertThat(cli.out()).contains("teardown: dropped subscription pgrelocate_" + name.replace('-', '_'));
            // the recorded name was found without --migration, and the subscription went before the fence was lifted
            if (cli.out().contains("fence: lifted")) {
                assertThat(cli.out().indexOf("teardown: dropped subscription")).isLessThan(cli.out().indexOf("fence: lifted"));
            }

            int acked = writer.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > acked + 50);
            long onTarget = count(target, "SELECT count(*) FROM pg_class WHERE relname = 'writes'") == 0 ? -1
                    : count(target, "SELECT count(*) FROM writes");
            int acked2 = writer.acknowledged().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged().size() > acked2 + 100);
            long onTargetLater = onTarget < 0 ? -1 : count(target, "SELECT count(*) FROM writes");
            assertThat(onTargetLater).as("rows streamed into the target after the rollback").isEqualTo(onTarget);
        } finally {
            writer.close();
        }
        assertThat(count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgrelocate%' AND database = current_database()")).isZero();
        assertThat(count(source, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(count(target, "SELECT count(*) FROM pg_subscription WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())")).isZero();
        pg.executeSql("postgres", "DROP DATABASE " + target);
    }

    private Path passwordFile() throws java.io.IOException {
        return LocalServers.passwordFile(dir);
    }

    private long count(String db, String sql) throws Exception {
        return LocalServers.count(pg, db, sql);
    }
}
