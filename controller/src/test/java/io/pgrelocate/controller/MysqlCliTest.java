package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `pgrelocate migrate` dispatching a mariadb:// source to the MySQL runbook, and `pgrelocate merge`. */
class MysqlCliTest {
    private final Cli cli = Cli.local();

    @Test
    void migrateCopiesAMariaDbDatabaseIntoASchema() {
        MariaDbServer maria = MariaDbServer.shared();
        LocalPostgres pg = TestServers.pg15();
        String db = maria.freshDatabase("cli");
        maria.execute(db, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, flag TINYINT(1));\nINSERT INTO t (flag) VALUES (1), (0), (5)");
        String target = TestServers.freshDatabase(pg, "cli_maria");
        String source = "mariadb://" + MariaDbServer.ADMIN + "@127.0.0.1:" + maria.port() + "/" + db;
        String[] common = {"--source", source, "--target", pg.uri(target), "--target-schema", "legacy",
                "--source-password-file", passwordFile().toString(), "--target-password-file", passwordFile().toString()};
        Path chosen = write("");
        assertThat(cli.run(concat(new String[] {"migrate", "--dry-run", "--write-mapping", chosen.toString()}, common))).as(cli.out()).isZero();
        assertThat(cli.out()).contains("t.flag", "1 rows hold values other than 0 and 1 (e.g. id=3): smallint, not boolean");
        assertThat(read(chosen)).contains("flag: \"smallint\"");
        cli.clear();
        int code = cli.run(concat(new String[] {"migrate", "--mapping", chosen.toString()}, common));
        assertThat(code).as(cli.out()).isZero();
        assertThat(cli.out()).contains("result  SUCCESS", "legacy.t").doesNotContain(TestServers.PASSWORD);

        cli.clear();
        assertThat(cli.run("migrate", "--source", "mysql://app:hunter2@db/app", "--target", pg.uri(target))).isEqualTo(2);
        assertThat(cli.err()).contains("--source holds a password").doesNotContain("hunter2");
    }

    @Test
    void migrateSwitchoverFencesAMariaDbSourceAndALocalRollbackLiftsTheFence() {
        MariaDbServer maria = MariaDbServer.shared();
        LocalPostgres pg = TestServers.pg15();
        String db = maria.freshDatabase("cli_window");
        maria.execute(db, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20));\nINSERT INTO t (note) VALUES ('a'), ('b')");
        String target = TestServers.freshDatabase(pg, "cli_window");
        String source = "mariadb://" + MariaDbServer.ADMIN + "@127.0.0.1:" + maria.port() + "/" + db;
        String password = passwordFile().toString();

        assertThat(cli.run("migrate", "--switchover", "--dry-run", "--source", source, "--target", pg.uri(target), "--source-password-file",
                password, "--target-password-file", password)).as(cli.out()).isZero();
        assertThat(cli.out()).contains("dry run: would fence " + "mariadb:" + MariaDbServer.ADMIN, "SET GLOBAL read_only = ON",
                "no super_read_only");
        cli.clear();
        assertThat(cli.run("migrate", "--switchover", "--source", source, "--target", pg.uri(target), "--source-password-file", password,
                "--target-password-file", password)).as(cli.out()).isZero();
        assertThat(cli.out()).contains("read_only=ON", "switchover: target is live", "result  SUCCESS")
                .contains("pgrelocate rollback --source " + source);
        assertThat(readOnly(maria)).isEqualTo("1");

        cli.clear();
        assertThat(cli.run("rollback", "--source", source, "--source-password-file", password)).as(cli.err()).isZero();
        assertThat(cli.out()).contains("fence: lifted from mariadb:", "read_only back to OFF");
        assertThat(readOnly(maria)).isEqualTo("0");
        maria.execute(db, "INSERT INTO t (note) VALUES ('after')");
    }

    private static String readOnly(MariaDbServer maria) {
        try (io.pgrelocate.engine.mysql.MysqlDb db = io.pgrelocate.engine.mysql.MysqlDb.connect(maria.source("mysql"))) {
            return db.text("SELECT @@global.read_only");
        }
    }

    @Test
    void mergeNeedsAMapping() {
        assertThat(cli.run("merge", "--target", "postgresql://app@db/app")).isEqualTo(2);
        assertThat(cli.err()).contains("--mapping");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path passwordFile() {
        return write(TestServers.PASSWORD + "\n");
    }

    private static Path write(String text) {
        try {
            return Files.writeString(Files.createTempFile("pgr-cli", ""), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
