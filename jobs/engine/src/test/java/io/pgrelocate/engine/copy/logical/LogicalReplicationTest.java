package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.Inventory;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Verifier;
import io.pgrelocate.engine.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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
        LogicalOptions options = pair.options().withReplicaIdentityFull(true);  // pgbench_history has no key
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
            logical.checkSchemaUnchanged();
            logical.drain(DRAIN);
            CarryOver.Result carried = logical.carryRest();
            assertThat(carried.sequences()).isGreaterThanOrEqualTo(4);
            assertThat(carried.largeObjectsWritten()).isEqualTo(2);
            assertThat(carried.largeObjectsRemoved()).isEqualTo(1);
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

    static List<io.pgrelocate.engine.postgres.TableInfo> tables(LogicalPair pair) {
        try (Db db = Db.connect(pair.source())) {
            return Inventory.read(new Introspector(db, ObjectFilter.SPILO_DEFAULT)).tables();
        }
    }
}
