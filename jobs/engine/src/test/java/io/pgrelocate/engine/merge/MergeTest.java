package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A MySQL `authorization` database and a PostgreSQL `common_oltp` schema into one `identity`
 * schema, with keys present in both sources, under each conflict policy.
 */
class MergeTest {
    private static MariaDbServer maria;
    private static LocalPostgres pg;
    private static String authDb;
    private static String oltpDb;
    private static final PasswordSource PASSWORDS = new PasswordSource(Map.of("AUTH_PW", TestServers.PASSWORD, "OLTP_PW", TestServers.PASSWORD));

    @BeforeAll
    static void sources() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
        authDb = maria.freshDatabase("authorization");
        maria.execute(authDb, """
                CREATE TABLE role (role_id INT PRIMARY KEY, role_name VARCHAR(40) NOT NULL);
                CREATE TABLE users (id BIGINT PRIMARY KEY, handle VARCHAR(50) NOT NULL, active TINYINT(1));
                CREATE TABLE user_role (user_id BIGINT NOT NULL, role_id INT NOT NULL, granted DATETIME,
                  PRIMARY KEY (user_id, role_id), FOREIGN KEY (role_id) REFERENCES role (role_id) ON DELETE CASCADE);
                INSERT INTO role VALUES (1, 'admin'), (2, 'editor');
                INSERT INTO users VALUES (100, 'ada', 1), (101, 'grace', 0);
                INSERT INTO user_role VALUES (100, 1, '2024-01-02 03:04:05'), (101, 2, NULL), (100, 2, NULL);
                """);
        oltpDb = TestServers.freshDatabase(pg, "oltp");
        pg.executeSql(oltpDb, """
                CREATE SCHEMA common_oltp;
                CREATE TABLE common_oltp.role (id integer PRIMARY KEY, name text NOT NULL);
                CREATE TABLE common_oltp."user" (user_id bigint PRIMARY KEY, handle text NOT NULL, create_date timestamp);
                INSERT INTO common_oltp.role VALUES (1, 'Administrator'), (3, 'viewer');
                INSERT INTO common_oltp."user" VALUES (100, 'ada-lovelace', '2020-01-01 00:00:00'), (102, 'linus', NULL);
                """);
    }

    static Path mapping(String policy, String extra) {
        String yaml = """
                schema: identity
                sources:
                  - name: auth
                    uri: mariadb://%s@127.0.0.1:%d/%s
                    passwordEnv: AUTH_PW
                  - name: oltp
                    uri: postgresql://postgres@127.0.0.1:%d/%s
                    schema: common_oltp
                    passwordEnv: OLTP_PW
                tables:
                  - name: user_role
                    key: [user_id, role_id]
                    from:
                      - {source: auth, table: user_role}
                  - name: role
                    key: [id]
                    onConflict: %s
                    from:
                      - {source: auth, table: role, columns: {role_id: id, role_name: name}}
                      - {source: oltp, table: role}
                  - name: user
                    key: [user_id]
                    onConflict: %s
                    casts: {active: boolean}
                    from:
                      - {source: oltp, table: user}
                      - {source: auth, table: users, columns: {id: user_id}%s}
                """.formatted(MariaDbServer.ADMIN, maria.port(), authDb, pg.port(), oltpDb, policy, policy, extra);
        try {
            Path file = Files.createTempFile("mapping-", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MigrationReport merge(Path mapping, ConnectionSpec target, boolean dryRun, boolean clean) {
        MigrationReport r = new MergeRun(MergeMapping.read(mapping), target, PASSWORDS, System.out::println, Clock.systemUTC())
                .merge(dryRun, clean);
        System.out.println(Summary.of(r));
        return r;
    }

    static List<String> rows(ConnectionSpec target) {
        try (Db db = Db.connect(target)) {
            return db.list("SELECT 'role ' || r::text FROM identity.role r UNION ALL SELECT 'user ' || u::text FROM identity.\"user\" u "
                    + "UNION ALL SELECT 'user_role ' || x::text FROM identity.user_role x ORDER BY 1", rs -> rs.getString(1));
        }
    }

    @Test
    void firstWinsAndASecondCleanRunGivesTheSameResult() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "identity_first"));
        MigrationReport r = merge(mapping("first", ""), target, false, false);
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.verify().differences()).isEmpty();
        List<String> first = rows(target);
        assertThat(first).containsExactly(
                "role (1,admin)", "role (2,editor)", "role (3,viewer)",
                "user (100,ada-lovelace,\"2020-01-01 00:00:00\",)", "user (101,grace,,f)", "user (102,linus,,)",
                "user_role (100,1,\"2024-01-02 03:04:05\")", "user_role (100,2,)", "user_role (101,2,)");
        assertThat(r.verify().warnings()).anySatisfy(n -> assertThat(n).contains("identity.role: 3 rows, 1 conflicts resolved (first)"));
        try (Db db = Db.connect(target)) {
            // the source's foreign key carried over (and ordered the load: user_role is listed first)
            assertThat(db.text("SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid = 'identity.user_role'::regclass"))
                    .isEqualTo("identity.role");
            db.execute("CREATE TABLE identity.not_ours (id int)");
        }
        assertThat(merge(mapping("first", ""), target, false, false).exitCode()).isEqualTo(ExitCode.TARGET_NOT_EMPTY.code());
        MigrationReport again = merge(mapping("first", ""), target, false, true);
        assertThat(again.exitCode()).as(again.error()).isZero();
        assertThat(rows(target)).isEqualTo(first);
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT to_regclass('identity.not_ours')::text")).isEqualTo("identity.not_ours");
        }
    }

    @Test
    void lastWins() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "identity_last"));
        MigrationReport r = merge(mapping("last", ""), target, false, false);
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(rows(target)).contains("role (1,Administrator)", "user (100,ada,\"2020-01-01 00:00:00\",t)");
    }

    @Test
    void failListsTheConflictingKeysBeforeWriting() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "identity_fail"));
        MigrationReport r = merge(mapping("fail", ""), target, false, false);
        assertThat(r.exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(r.error()).contains("identity.role").contains("(id)=(1)").contains("onConflict: first or last");
        nothingWritten(target);
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "identity_dry"));
        MigrationReport r = merge(mapping("first", ""), target, true, false);
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.preflight()).anySatisfy(c -> assertThat(c.message()).contains("identity.user").contains("1 conflicting keys [(user_id)=(100)]"));
        nothingWritten(target);
    }

    @Test
    void aMissingTableOrColumnIsRefusedWithTheFix() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "identity_bad"));
        MigrationReport column = merge(mapping("first", ", skip: [nickname]"), target, false, false);
        assertThat(column.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(column.error()).contains("from auth.users").contains("no column 'nickname'").contains("fix the mapping");
        Path missingTable;
        try {
            missingTable = Files.writeString(Files.createTempFile("mapping-", ".yaml"),
                    Files.readString(mapping("first", "")).replace("table: role}", "table: roles}"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MigrationReport table = merge(missingTable, target, false, false);
        assertThat(table.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(table.error()).contains("no table common_oltp.roles").contains("[role, user]");
        nothingWritten(target);
        assertThatThrownBy(() -> MergeMapping.read(Files.writeString(Files.createTempFile("mapping-", ".yaml"), "schema: x\nsorces: []\n")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("unknown key 'sorces'");
    }

    private static void nothingWritten(ConnectionSpec target) {
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT to_regnamespace('identity')::text")).isNull();
        }
    }
}
