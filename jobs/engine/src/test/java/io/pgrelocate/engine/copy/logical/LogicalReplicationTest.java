package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpCopy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.Inventory;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logical strategy end to end between two real servers, with writers running through setup,
 * bulk copy and catch-up: after the writers stop (the fence's effect) and the drain, the target
 * holds every acknowledged write and verifies identical.
 */
class LogicalReplicationTest {
    private static final Duration CATCH_UP = Duration.ofMinutes(5);
    private static final Duration DRAIN = Duration.ofMinutes(2);

    @Test
    void pgbenchAndAnAckedWriterLoseNothing() throws Exception {
        LogicalPair pair = new LogicalPair("lr_bench");
        pair.source("CREATE TABLE acked (id bigint PRIMARY KEY, note text NOT NULL)");
        // pgbench_history has no key; the apply keeps within 1 MiB of a 200 tps load
        LogicalOptions options = pair.options().withReplicaIdentityFull(true).withMaxLag(1024 * 1024);
        try (Pgbench bench = new Pgbench(pair.sourceServer, pair.sourceDb)) {
            bench.initialize(1);
            bench.startLoad(2);
            int atSetup;
            int atStop;
            long historyAtSetup;
            try (AckedWriter writer = new AckedWriter(pair.sourceServer, pair.sourceDb, "acked");
                 LogicalStrategy logical = pair.withDumpRestore(options)) {
                assertThat(logical.preflight().passed()).isTrue();
                logical.setup(tables(pair), List.of());
                atSetup = writer.count();
                historyAtSetup = Long.parseLong(pair.sourceValue("SELECT count(*) FROM pgbench_history"));
                LagSample ready = logical.catchUp(CATCH_UP);
                assertThat(ready.ready()).isTrue();
                Thread.sleep(3000);  // the applications keep writing while the target follows
                bench.close();
                writer.close();
                atStop = writer.count();

                Drain.Result drained = logical.drain(DRAIN);
                assertThat(drained.finalLsn()).isNotBlank();
                logical.carryRest();
                assertThat(logical.teardown().clean()).isTrue();

                List<Long> onTarget = Arrays.stream(pair.targetValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM acked")
                        .split(",")).map(Long::valueOf).toList();
                assertThat(onTarget).containsAll(writer.acknowledged());
            }
            assertThat(atStop).isGreaterThan(atSetup);  // writes after the snapshot came through the stream
            assertThat(Long.parseLong(pair.sourceValue("SELECT count(*) FROM pgbench_history"))).isGreaterThan(historyAtSetup);
            assertThat(pair.targetValue("SELECT count(*) || '/' || sum(delta) FROM pgbench_history"))
                    .isEqualTo(pair.sourceValue("SELECT count(*) || '/' || sum(delta) FROM pgbench_history"));
            VerifyResult verify = new Verifier(ObjectFilter.SPILO_DEFAULT, pair::print).verify(pair.source(), pair.target());
            assertThat(verify.differences()).isEmpty();
            assertThat(pair.leftovers()).isEmpty();
        }
    }

    @Test
    void whatReplicationDoesNotCarryIsCarriedInTheWindow() throws Exception {
        LogicalPair pair = new LogicalPair("lr_carry");
        pair.source(TestServers.resource("/fixtures/full-coverage.sql"));
        try (LogicalStrategy logical = pair.withDumpRestore(pair.options().withReplicaIdentityFull(true))) {
            logical.setup(tables(pair), List.of());
            // changes after the snapshot: rows the stream carries, and what it does not
            pair.source("""
                    SELECT nextval('public.ticket_no_seq') FROM generate_series(1, 3);
                    SELECT setval('public.pending_seq', 777, false);
                    INSERT INTO public.customers (email, full_name) VALUES ('late@example.org', 'Late Comer');
                    INSERT INTO public.session_cache VALUES ('sess-late', '{"user": 7}', '2031-01-01 00:00:00+00');
                    UPDATE public.session_cache SET payload = '{"user": 8}' WHERE session_key = 'sess-0001';
                    SELECT lo_put(424242, 0, '\\x4a'::bytea);
                    SELECT lo_unlink(434343);
                    SELECT lo_from_bytea(454545, 'born during the catch-up'::bytea);
                    INSERT INTO public.measurements VALUES (1, '2024-05-05', 99.5), (4, '2024-08-08', -1);
                    REFRESH MATERIALIZED VIEW public.mv_sensor_stats;
                    DELETE FROM public.raw_events WHERE kind = 'view';
                    UPDATE public.raw_events SET n = 42 WHERE kind IS NULL;
                    """);
            logical.catchUp(CATCH_UP);
            // large objects during the catch-up, so the window has only those changed since to write (none here)
            LargeObjectSync.Result los = logical.copyLargeObjects();
            assertThat(los).isEqualTo(new LargeObjectSync.Result(4, 2, 1));
            logical.checkSchemaUnchanged();
            logical.drain(DRAIN);
            CarryOver.Result carried = logical.carryRest();
            assertThat(carried.sequences()).isGreaterThanOrEqualTo(4);
            assertThat(carried.largeObjectsWritten()).isZero();
            assertThat(carried.largeObjectsRemoved()).isZero();
            assertThat(carried.unloggedTables()).isEqualTo(1);
            assertThat(carried.unloggedRows()).isEqualTo(31);
            assertThat(carried.materializedViews()).isEqualTo(1);
            assertThat(logical.teardown().clean()).isTrue();
        }
        VerifyResult verify = new Verifier(ObjectFilter.SPILO_DEFAULT, pair::print).verify(pair.source(), pair.target());
        assertThat(verify.differences()).isEmpty();
        assertThat(verify.largeObjectsCompared()).isEqualTo(4);
        for (String next : List.of("SELECT nextval('public.pending_seq')", "SELECT nextval('public.ticket_no_seq')",
                "SELECT nextval(pg_get_serial_sequence('public.customers', 'id'))")) {
            assertThat(pair.targetValue(next)).as(next).isEqualTo(pair.sourceValue(next));
        }
        assertThat(pair.targetValue("SELECT nextval('public.pending_seq')")).isEqualTo("778");
        assertThat(pair.leftovers()).isEmpty();
    }

    @Test
    void aPostgres14SourceReplicatesIntoA15Target() throws Exception {
        try (LocalPostgres pg14 = LocalPostgres.start(PgBinaries.embedded(), TestServers.PASSWORD, Map.of("wal_level", "logical"))) {
            String sourceDb = TestServers.freshDatabase(pg14, "lr_14");
            pg14.executeSql(sourceDb, """
                    CREATE TABLE acked (id bigint PRIMARY KEY, note text NOT NULL);
                    CREATE TABLE events (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
                    CREATE TABLE events_old PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2024-01-01');
                    CREATE TABLE events_new PARTITION OF events DEFAULT;
                    INSERT INTO events SELECT g, date '2020-01-01' + g FROM generate_series(1, 2000) g;
                    """);
            LogicalPair pair = new LogicalPair("lr_14");
            ConnectionSpec source = TestServers.spec(pg14, sourceDb);
            CopyOptions copy = pair.copyOptions();
            LogicalOptions options = LogicalOptions.defaults(sourceDb, ObjectFilter.SPILO_DEFAULT);
            try (AckedWriter writer = new AckedWriter(pg14, sourceDb, "acked");
                 LogicalStrategy logical = new LogicalStrategy(source, pair.target(), options, copy,
                         new DumpCopy(copy, pair::print, Clock.systemUTC()), pair::print, Clock.systemUTC())) {
                assertThat(logical.preflight().passed()).isTrue();
                logical.setup(List.of(), List.of());
                pg14.executeSql(sourceDb, "UPDATE events SET at = date '2025-01-01' + id WHERE id <= 10");  // moves rows across partitions
                logical.catchUp(CATCH_UP);
                writer.close();
                logical.drain(DRAIN);
                assertThat(logical.teardown().clean()).isTrue();
                assertThat(pair.targetValue("SELECT count(*) FROM acked")).isEqualTo(Integer.toString(writer.count()));
            }
            assertThat(new Verifier(ObjectFilter.SPILO_DEFAULT, pair::print).verify(source, pair.target()).differences()).isEmpty();
            assertThat(pair.targetValue("SELECT count(*) FROM events_new WHERE id <= 10")).isEqualTo("10");
        }
    }

    static List<io.pgrelocate.engine.postgres.TableInfo> tables(LogicalPair pair) {
        try (Db db = Db.connect(pair.source())) {
            return Inventory.read(new Introspector(db, ObjectFilter.SPILO_DEFAULT)).tables();
        }
    }
}
