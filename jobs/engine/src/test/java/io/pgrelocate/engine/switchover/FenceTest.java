package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fence holds against every writer but a superuser that overrides it on purpose, and lifting it restores exactly what was there. */
class FenceTest {
    static final String PW = "role-Pa55";
    final LocalPostgres pg = TestServers.pg15();
    final List<String> out = new CopyOnWriteArrayList<>();
    String db;
    String frozen;
    String other;

    @BeforeEach
    void database() {
        frozen = TestServers.loginRole(pg, "fence_app", PW);
        other = TestServers.loginRole(pg, "fence_cron", PW);
        db = TestServers.freshDatabase(pg, "fence");
        pg.executeSql(db, "GRANT CONNECT ON DATABASE " + db + " TO " + frozen + " WITH GRANT OPTION; "
                + "CREATE TABLE t(id int); GRANT ALL ON t TO PUBLIC; COMMENT ON DATABASE " + db + " IS 'the shop''s data'");
    }

    @Test
    void theFenceHoldsAgainstAnOverridingSessionANewAppSessionAndARoleThatWasNotFrozen() throws SQLException {
        try (Connection overriding = connectAs(frozen); Connection cron = connectAs(other); Db tool = Db.connect(spec())) {
            exec(overriding, "SET default_transaction_read_only = off");
            exec(cron, "INSERT INTO t VALUES (0)");

            FenceRecord record = new Fence(out::add, Clock.systemUTC()).raise(tool, Set.of(pid(tool)));

            assertThat(record.revoked()).extracting(FenceRecord.Grant::grantee).contains("PUBLIC", frozen);
            assertThatThrownBy(() -> exec(overriding, "INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> exec(cron, "INSERT INTO t VALUES (2)")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connectAs(frozen)).hasMessageContaining("permission denied for database");
            assertThatThrownBy(() -> connectAs(other)).hasMessageContaining("permission denied for database");
            assertThat(out).anyMatch(l -> l.startsWith("fence: terminated session") && l.contains(" of " + frozen + " "))
                    .anyMatch(l -> l.startsWith("fence: terminated session") && l.contains(" of " + other + " "));
            // the tool itself still connects (pg_dump -j and the verifier do), but only read-only by default
            try (Connection again = pg.connect(db)) {
                assertThatThrownBy(() -> exec(again, "INSERT INTO t VALUES (3)")).hasMessageContaining("read-only transaction");
            }
        }
        assertThat(single("SELECT count(*) FROM t")).isEqualTo(1);
    }

    @Test
    void liftingTheFenceRestoresTheGrantsTheSettingAndTheComment() throws SQLException {
        List<String> aclBefore = acl();
        try (Db tool = Db.connect(spec())) {
            Fence fence = new Fence(out::add, Clock.systemUTC());
            fence.raise(tool, Set.of(pid(tool)));
            assertThat(Fence.read(tool)).isPresent();

            assertThat(fence.lift(tool)).isPresent();
            assertThat(fence.lift(tool)).as("lifting twice does nothing").isEmpty();
        }
        assertThat(acl()).containsExactlyInAnyOrderElementsOf(aclBefore);
        assertThat(single("SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()"))
                .isZero();
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); var rs = st.executeQuery(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("the shop's data");
        }
        try (Connection app = connectAs(frozen); Connection cron = connectAs(other)) {
            exec(app, "INSERT INTO t VALUES (1)");
            exec(cron, "INSERT INTO t VALUES (2)");
        }
    }

    @Test
    void aSecondRaiseAfterAKilledRunKeepsTheFirstRecordSoTheGrantsComeBack() throws SQLException {
        List<String> aclBefore = acl();
        Fence fence = new Fence(out::add, Clock.systemUTC());
        try (Db first = Db.connect(spec())) {
            fence.raise(first, Set.of(pid(first)));
        }
        try (Db second = Db.connect(spec())) {
            FenceRecord again = fence.raise(second, Set.of(pid(second)));
            assertThat(again.revoked()).extracting(FenceRecord.Grant::grantee).contains("PUBLIC", frozen);
            fence.lift(second);
        }
        assertThat(acl()).containsExactlyInAnyOrderElementsOf(aclBefore);
    }

    @Test
    void theDatabaseOwnerWithSignalRightsCanFenceAndARoleWithoutThemIsRefusedBeforeAnyChange() throws SQLException {
        String owner = TestServers.loginRole(pg, "fence_owner", PW);
        String owned = TestServers.freshDatabase(pg, "fence_owned");
        pg.executeSql("postgres", "ALTER DATABASE " + owned + " OWNER TO " + owner);
        ConnectionSpec asOwner = ConnectionSpec.parse(pg.uri(owned).replaceFirst("//[^@]+@", "//" + owner + "@")).withPassword(Secret.of(PW));

        try (Db tool = Db.connect(asOwner)) {
            assertThat(Fence.missingPrivilege(tool)).get().asString().contains("GRANT pg_signal_backend TO " + owner);
        }
        pg.executeSql("postgres", "GRANT pg_signal_backend TO " + owner);
        try (Db tool = Db.connect(asOwner); Connection app = DriverManager.getConnection(jdbc(owned), frozen, PW)) {
            assertThat(Fence.missingPrivilege(tool)).isEmpty();
            Fence fence = new Fence(out::add, Clock.systemUTC());
            fence.raise(tool, Set.of(pid(tool)));
            assertThatThrownBy(() -> DriverManager.getConnection(jdbc(owned), frozen, PW)).hasMessageContaining("permission denied");
            try (Db again = Db.connect(asOwner)) {
                fence.lift(again);
            }
            try (Connection back = DriverManager.getConnection(jdbc(owned), frozen, PW)) {
                exec(back, "SELECT 1");
            }
        }
    }

    ConnectionSpec spec() {
        return TestServers.spec(pg, db);
    }

    String jdbc(String database) {
        return TestServers.jdbcUrl(pg, database);
    }

    Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(jdbc(db), role, PW);
    }

    static int pid(Db db) {
        return db.one("SELECT pg_backend_pid()", rs -> rs.getInt(1));
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    List<String> acl() throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); var rs = st.executeQuery(
                "SELECT a.grantee || ':' || a.privilege_type || ':' || a.is_grantable FROM pg_database d, "
                        + "aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a WHERE d.datname = current_database()")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    long single(String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
