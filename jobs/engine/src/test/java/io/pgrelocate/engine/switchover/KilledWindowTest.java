package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.testing.KilledChild;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.testing.WindowChild;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SIGKILL after the fence: nothing in the killed process runs, and the record in the source lets any machine lift it. */
class KilledWindowTest {
    static final String PW = "killed-Pa55";
    final LocalPostgres pg = TestServers.pg15();

    @Test
    void aMigrationKilledAfterTheFenceLeavesARecordThatRollbackLifts() throws Exception {
        String app = TestServers.loginRole(pg, "killed_app", PW);
        String source = TestServers.freshDatabase(pg, "kill_src");
        String target = TestServers.freshDatabase(pg, "kill_dst");
        pg.executeSql(source, "CREATE TABLE t(id int); GRANT ALL ON t TO " + app);

        List<String> lines = KilledChild.runUntil(WindowChild.class, "window: the source is fenced", TestServers.PASSWORD,
                pg.uri(source), pg.uri(target));
        assertThat(lines).as(String.join("\n", lines)).anyMatch(l -> l.startsWith("window: the source is fenced"));

        assertThatThrownBy(() -> DriverManager.getConnection(jdbc(source), app, PW).close()).hasMessageContaining("permission denied");
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            assertThat(new Fence(line -> { }, Clock.systemUTC()).lift(db)).isPresent();
        }
        try (Connection c = DriverManager.getConnection(jdbc(source), app, PW); Statement st = c.createStatement()) {
            st.execute("INSERT INTO t VALUES (1)");
        }
    }

    String jdbc(String db) {
        return TestServers.jdbcUrl(pg, db);
    }
}
