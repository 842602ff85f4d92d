package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
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
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doors REVOKE CONNECT leaves open: a transaction prepared in the race with the fence, and a
 * session of a role CONNECT does not bind (a superuser, the tool's own role) that comes in after
 * the fence. Neither may end in a switch with a write on the source only.
 */
class FenceDoorsTest {
    static final String PW = "doors-Pa55";
    final LocalPostgres pg = TestServers.pg15Logical();
    final List<String> out = new CopyOnWriteArrayList<>();
    String app;
    String source;
    String target;

    @BeforeEach
    void databases() {
        app = TestServers.loginRole(pg, "door_app", PW);
        source = TestServers.freshDatabase(pg, "door_src");
        target = TestServers.freshDatabase(pg, "door_dst");
        pg.executeSql(source, "CREATE TABLE writes(id bigint PRIMARY KEY); ALTER TABLE writes OWNER TO " + app
                + "; INSERT INTO writes SELECT g FROM generate_series(1, 100) g");
    }

    @Test
    void aTransactionPreparedAsTheFenceRisesIsNeverLeftBehindByASuccessfulSwitch() throws SQLException {
        try (Connection racer = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = racer.createStatement()) {
            AtomicBoolean prepared = new AtomicBoolean();
            MigrationReport r;
            try {
                r = migrate(Strategy.LOGICAL, line -> {
                    try {
                        if (line.startsWith("logical: subscription ") && line.contains("streaming")) {
                            st.execute("BEGIN; INSERT INTO writes VALUES (-42)");
                        } else if (line.startsWith("fence: database ")) {  // the fence's own line: its grants are committed
                            st.execute("PREPARE TRANSACTION 'race'");
                            prepared.set(true);
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            } finally {
                rollbackPrepared();
            }
            assertThat(prepared).isTrue();
            assertThat(r.exitCode()).as(String.join("\n", out)).isEqualTo(ExitCode.FENCE.code());
            assertThat(r.error()).contains("'race' of " + app, "COMMIT PREPARED or ROLLBACK PREPARED");
            assertThat(out).anyMatch(l -> l.startsWith("fence: waiting up to 10s for prepared transaction(s) 'race'"))
                    .anyMatch(l -> l.startsWith("fence: lifted from " + source));
        }
        // the applications' source takes writes again: nothing was switched
        try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), app, PW); Statement st = c.createStatement()) {
            st.execute("INSERT INTO writes VALUES (-1)");
        }
    }

    @Test
    void applicationsSharingTheToolsOwnRoleTheDatabaseOwnerCannotSwitchWithAWriteOnTheSource() throws Exception {
        String owner = TestServers.loginRole(pg, "door_owner", PW);
        pg.executeSql("postgres", "ALTER DATABASE " + source + " OWNER TO " + owner + "; GRANT pg_signal_backend TO " + owner);
        pg.executeSql(source, "ALTER TABLE writes OWNER TO " + owner);
        ConnectionSpec tool = ConnectionSpec.parse("postgresql://" + owner + "@" + pg.host() + ":" + pg.port() + "/" + source)
                .withPassword(Secret.of(PW));
        Intruder shop = new Intruder(owner, PW, "shop", "SET default_transaction_read_only = off; "
                + "INSERT INTO writes SELECT least(min(id), -1000) - 1 FROM writes");
        MigrationReport r;
        try {
            MigrationSettings settings = new MigrationSettings(tool, TestServers.spec(pg, target),
                    TestServers.copyOptions(TestServers.workDir(), false), false);
            r = new Migration(settings, line -> {
                out.add(line);
                if (line.startsWith("window: the source is fenced")) {
                    shop.start();
                }
            }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
        } finally {
            shop.stop();
        }

        // the role got in after the fence (named below); whether its write landed before the watch ended it depends on timing
        assertThat(r.exitCode()).as(String.join("\n", out)).isIn(ExitCode.FENCE.code(), ExitCode.DIFFERENCES.code());
        // the watch may see the session before its application name is set: the role is what must be named
        assertThat(out).anyMatch(l -> l.startsWith("fence: session ") && l.contains(" of " + owner + " (application "))
                .anyMatch(l -> l.startsWith("fence: lifted from " + source));
    }

    @Test
    void aSessionOfTheToolsOwnSuperuserRoleThatComesInAfterTheFenceStopsTheSwitch() throws Exception {
        Intruder intruder = new Intruder("postgres", TestServers.PASSWORD, "psql",
                "BEGIN READ WRITE; INSERT INTO writes SELECT least(min(id), -1000) - 1 FROM writes; COMMIT");
        MigrationReport r;
        try {
            r = migrate(Strategy.DUMP, line -> {
                if (line.startsWith("window: the source is fenced")) {
                    intruder.start();
                }
            });
        } finally {
            intruder.stop();
        }

        // its writes before the verification are differences (12); any later the fence's last check refuses (20): never a switch
        assertThat(r.exitCode()).as(String.join("\n", out) + "\n" + Summary.of(r)).isIn(ExitCode.FENCE.code(), ExitCode.DIFFERENCES.code());
        assertThat(out).anyMatch(l -> l.startsWith("fence: session ") && l.contains(" of superuser postgres (application 'psql'"));
        assertThat(out).anyMatch(l -> l.startsWith("fence: lifted from " + source));
        assertThat(count(source, "SELECT count(*) FROM writes WHERE id < -999")).isGreaterThanOrEqualTo(intruder.landed.get());
    }

    @Test
    void aSuperuserSessionOpenedAfterTheVerificationStopsTheSwitch() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", TestServers.PASSWORD);
        p.setProperty("ApplicationName", "psql");
        Connection[] held = new Connection[1];
        MigrationReport r;
        try {
            r = migrate(Strategy.DUMP, line -> {
                if (line.startsWith("verify: ") && held[0] == null) {
                    try {
                        held[0] = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), p);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } finally {
            if (held[0] != null) {
                held[0].close();
            }
        }

        assertThat(held[0]).isNotNull();
        assertThat(r.exitCode()).as(String.join("\n", out)).isEqualTo(ExitCode.FENCE.code());
        assertThat(r.error()).contains("the fence was passed since it was raised", "of superuser postgres (application 'psql'");
        assertThat(out).anyMatch(l -> l.startsWith("fence: lifted from " + source));
    }

    @Test
    void aCleanSwitchStatesInTheReportWhatTheFenceCannotStop() {
        MigrationReport r = migrate(Strategy.DUMP, line -> { });

        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        assertThat(r.window().fence()).contains("still possible: a session of a superuser or of the tool's own role shorter than");
    }

    private MigrationReport migrate(Strategy strategy, Consumer<String> spy) {
        LogicalSettings logical = new LogicalSettings("door_" + source, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false);
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(strategy), false, null, null, logical);
        return new Migration(settings, line -> {
            out.add(line);
            spy.accept(line);
        }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    /** A client that writes to the source as {@code user} every 300 ms, logging in again whenever its session is ended. */
    private final class Intruder {
        final AtomicLong landed = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Intruder(String user, String password, String application, String write) {
            thread = new Thread(() -> {
                Properties p = new Properties();
                p.setProperty("user", user);
                p.setProperty("password", password);
                p.setProperty("ApplicationName", application);
                while (running.get()) {
                    try (Connection c = DriverManager.getConnection(TestServers.jdbcUrl(pg, source), p); Statement st = c.createStatement()) {
                        st.execute(write);
                        landed.incrementAndGet();
                        Thread.sleep(300);
                    } catch (SQLException | InterruptedException e) {
                        // ended by the fence's watch: come back, as a connection pool does
                    }
                }
            });
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private void rollbackPrepared() {
        try {
            pg.executeSql(source, "ROLLBACK PREPARED 'race'");
        } catch (RuntimeException e) {
            // it was not prepared (the run failed earlier): nothing holds the server
        }
    }

    private long count(String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
