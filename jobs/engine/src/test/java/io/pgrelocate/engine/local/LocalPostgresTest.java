package io.pgrelocate.engine.local;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class LocalPostgresTest {
    private static final String PASSWORD = "s3cret-'\"pw";

    @Test
    void systemPostgres15() throws Exception {
        assumeThat(Path.of("/usr/lib/postgresql/15/bin/postgres")).isExecutable();
        exercise(PgBinaries.system(15), 15);
    }

    @Test
    void embeddedPostgres14() throws Exception {
        exercise(PgBinaries.embedded(), 14);
    }

    @Test
    void findSystemReturnsAnInstalledServer() {
        assumeThat(Path.of("/usr/lib/postgresql")).isDirectory();
        assertThat(PgBinaries.findSystem()).hasValueSatisfying(bin ->
                assertThat(bin.binDir().resolve("postgres")).isExecutable());
    }

    @Test
    void rejectsMissingInstallation() {
        assertThatThrownBy(() -> PgBinaries.system(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/usr/lib/postgresql/3");
    }

    private static void exercise(PgBinaries binaries, int expectedMajor) throws Exception {
        assertThat(binaries.major()).isEqualTo(expectedMajor);
        int port;
        Path log;
        try (LocalPostgres pg = LocalPostgres.start(binaries, PASSWORD)) {
            port = pg.port();
            log = pg.logFile();
            assertThat(port).isPositive().isNotEqualTo(5432);
            assertThat(pg.host()).isEqualTo("127.0.0.1");
            assertThat(pg.major()).isEqualTo(expectedMajor);
            assertThat(pg.uri("app db")).isEqualTo("postgresql://postgres@127.0.0.1:" + port + "/app%20db?sslmode=disable");
            assertThat(log).exists();

            pg.executeSql("postgres", "CREATE ROLE app LOGIN PASSWORD 'x'");
            pg.createDatabase("app db", "app");
            pg.createDatabase("plain");
            pg.executeSql("app db", "CREATE TABLE t (id int primary key, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');");

            try (Connection c = pg.connect("app db"); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), current_database() FROM t")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                    assertThat(rs.getString(2)).isEqualTo("app db");
                }
                try (ResultSet rs = s.executeQuery("SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'app db'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("app");
                }
                try (ResultSet rs = s.executeQuery("SHOW server_version_num")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(Integer.parseInt(rs.getString(1)) / 10000).isEqualTo(expectedMajor);
                }
            }

            Properties wrong = new Properties();
            wrong.setProperty("user", "postgres");
            wrong.setProperty("password", "wrong");
            wrong.setProperty("sslmode", "disable");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", wrong).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        }

        assertThat(Files.exists(log)).as("base directory deleted").isFalse();
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }
}
