package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stream strategy on real servers: ranges, one snapshot for all workers, and a failure mid-copy. */
class StreamCopyTest {
    private static final String DIGEST = "SELECT count(*) || '/' || coalesce(sum(hashtext(t::text)::numeric), 0) FROM %s t";

    private final LocalPostgres pg = TestServers.pg15();

    @Test
    void tablesAboveTheThresholdAreCopiedAsRangesEachRowOnce() throws SQLException {
        String src = sourceWith("split", """
                CREATE TABLE with_key (id bigint PRIMARY KEY, payload text);
                INSERT INTO with_key SELECT g * 3, repeat(md5(g::text), 3) FROM generate_series(-20000, 40000) g;
                DELETE FROM with_key WHERE id % 7 = 0;
                CREATE TABLE no_key (a int, payload text);
                INSERT INTO no_key SELECT g % 1000, repeat(md5((g % 500)::text), 3) FROM generate_series(1, 60000) g;
                DELETE FROM no_key WHERE a BETWEEN 100 AND 200;
                """);
        String dst = TestServers.freshDatabase(pg, "split_dst");
        CopyResult r = streamCopy(src, dst, new StreamTuning(256 << 10, true, true), null);

        assertThat(r.stream().tables()).extracting(TableCopy::table, t -> t.ranges() > 1, TableCopy::freeze)
                .contains(org.assertj.core.groups.Tuple.tuple("public.with_key", true, false),
                        org.assertj.core.groups.Tuple.tuple("public.no_key", true, false));
        for (String table : List.of("with_key", "no_key")) {
            assertThat(query(dst, DIGEST.formatted(table))).as(table).isEqualTo(query(src, DIGEST.formatted(table)));
        }
        assertThat(query(dst, "SELECT count(*) FROM no_key")).isEqualTo("53940");
        assertThat(query(dst, "SELECT conname FROM pg_constraint WHERE conrelid = 'with_key'::regclass")).isEqualTo("with_key_pkey");
        assertThat(verify(src, dst).differences()).isEmpty();
    }

    @Test
    void rowsCommittedAfterAGivenSnapshotAreNotCopied() throws SQLException {
        String src = sourceWith("snap", "CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 1000) g");
        String dst = TestServers.freshDatabase(pg, "snap_dst");
        ConnectionSpec source = TestServers.spec(pg, src);
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(source); Db atSnapshot = snapshot.join()) {
            String before = atSnapshot.text(DIGEST.formatted("public.items"));
            pg.executeSql(src, "INSERT INTO items SELECT g, 'late' FROM generate_series(1001, 1100) g; UPDATE items SET v = 'changed' WHERE id <= 10; DELETE FROM items WHERE id > 990 AND id <= 1000");

            CopyResult r = streamCopy(src, dst, StreamTuning.DEFAULT, snapshot.id());

            assertThat(r.stream().snapshot()).isEqualTo(snapshot.id());
            assertThat(query(dst, DIGEST.formatted("items"))).isEqualTo(before).startsWith("1000/");
            assertThat(query(dst, "SELECT count(*) FROM items WHERE v IN ('late', 'changed')")).isEqualTo("0");
            assertThat(query(src, "SELECT count(*) FROM items")).isEqualTo("1090");
        }
    }

    @Test
    void writesDuringTheCopyNeverSplitATransactionBetweenTables() throws Exception {
        String src = sourceWith("live", """
                CREATE TABLE orders (id int PRIMARY KEY, note text);
                CREATE TABLE order_events (order_id int PRIMARY KEY, note text);
                INSERT INTO orders SELECT g, repeat('x', 200) FROM generate_series(1, 50000) g;
                INSERT INTO order_events SELECT g, repeat('y', 200) FROM generate_series(1, 50000) g;
                """);
        String dst = TestServers.freshDatabase(pg, "live_dst");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection c = pg.connect(src); Statement st = c.createStatement()) {
                for (int id = 50001; !stop.get() && id < 1_000_000; id++) {
                    st.execute("BEGIN; INSERT INTO orders VALUES (" + id + ", 'live'); INSERT INTO order_events VALUES (" + id + ", 'live'); COMMIT");
                    written.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> written.get() > 20);
            streamCopy(src, dst, new StreamTuning(1 << 20, true, true), null);
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(query(dst, "SELECT count(*) FROM orders")).isEqualTo(query(dst, "SELECT count(*) FROM order_events"));
        assertThat(query(dst, "SELECT count(*) FROM orders o FULL JOIN order_events e ON e.order_id = o.id WHERE o.id IS NULL OR e.order_id IS NULL"))
                .isEqualTo("0");
        assertThat(Long.parseLong(query(src, "SELECT count(*) FROM orders"))).isGreaterThan(Long.parseLong(query(dst, "SELECT count(*) FROM orders")));
    }

    @Test
    void aTargetSessionKilledMidCopyFailsWithExit11NamingTheTable() throws SQLException {
        String src = TestServers.freshDatabase(pg, "kill_src");
        String dst = TestServers.freshDatabase(pg, "kill_dst");
        // The CHECK is copied with the table and slows COPY FROM on the target, so the test can catch it mid-way.
        pg.executeSql(src, """
                CREATE FUNCTION slow_ok(int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;
                CREATE TABLE slow_rows (id int PRIMARY KEY CHECK (public.slow_ok(id)), v text);
                INSERT INTO slow_rows SELECT g, 'v' FROM generate_series(1, 20000) g;
                CREATE OR REPLACE FUNCTION slow_ok(int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN true; END $$;
                """);
        Thread killer = new Thread(() -> await().atMost(Duration.ofMinutes(2)).until(() -> {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + dst
                         + "' AND query LIKE 'COPY%slow_rows%FROM STDIN%'")) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }));
        killer.start();
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false).withStrategy(Strategy.STREAM), false);
        MigrationReport r = new Migration(settings, line -> System.out.println(java.time.Instant.now() + " " + line), Clock.systemUTC()).migrate(false);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(r.error()).doesNotContain("\n").doesNotContain(TestServers.PASSWORD)
                .contains("copying public.slow_rows failed: postgres@127.0.0.1:" + pg.port() + "/" + dst + " (target): ",
                        "the source is unchanged", "is partly loaded", "dropdb -h 127.0.0.1", "createdb");
        assertThat(r.verify()).isNull();
        assertThat(query(src, "SELECT count(*) || '/' || sum(id) FROM slow_rows")).isEqualTo("20000/200010000");
    }

    /** A new source database holding what {@code sql} makes. */
    private String sourceWith(String prefix, String sql) {
        String db = TestServers.freshDatabase(pg, prefix + "_src");
        pg.executeSql(db, sql);
        return db;
    }

    private CopyResult streamCopy(String src, String dst, StreamTuning tuning, String snapshot) {
        ConnectionSpec source = TestServers.spec(pg, src);
        CopyOptions options = new CopyOptions(Strategy.STREAM, 3, TestServers.workDir(), 0, false, ObjectFilter.SPILO_DEFAULT, PgTools.locate(null), true);
        try (Db db = Db.connect(source)) {
            return new StreamCopy(options, tuning, System.out::println, Clock.systemUTC())
                    .copy(source, TestServers.spec(pg, dst), new Introspector(db, ObjectFilter.SPILO_DEFAULT).tables(), List.of(), snapshot);
        }
    }

    private VerifyResult verify(String src, String dst) {
        return new Verifier(ObjectFilter.SPILO_DEFAULT, 3, line -> { }).verify(TestServers.spec(pg, src), TestServers.spec(pg, dst));
    }

    private String query(String database, String sql) throws SQLException {
        try (Connection c = pg.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
