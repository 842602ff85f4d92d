package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.verify.Verifier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catch-up measurement, DDL refusal, the subscription's own copy, and teardown on every exit path. */
class LogicalLifecycleTest {
    private static final String ITEMS = "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL);"
            + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;";

    @Test
    void theMonitorSeesTheLagGrowWhileTheTargetStopsAndShrinkWhenItApplies() throws Exception {
        LogicalPair pair = new LogicalPair("ll_lag");
        pair.source(ITEMS);
        try (LogicalStrategy logical = pair.withDumpRestore(pair.options().withMaxLag(64 * 1024))) {
            logical.setup(LogicalReplicationTest.tables(pair), List.of());
            pair.target("ALTER SUBSCRIPTION " + pair.names.subscription() + " DISABLE");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !logical.monitor().sample().applyRunning());
            pair.source("INSERT INTO items SELECT g, repeat('x', 200) FROM generate_series(1001, 21000) g");
            logical.monitor().sample();
            Thread.sleep(1500);
            LagSample behind = logical.monitor().sample();
            System.out.println(behind.line());
            assertThat(behind.lagBytes()).isGreaterThan(1024 * 1024);
            assertThat(behind.ready()).isFalse();
            assertThat(behind.lag()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(behind.applyRunning()).isFalse();
            assertThat(behind.line()).contains("APPLY WORKER NOT RUNNING");

            pair.target("ALTER SUBSCRIPTION " + pair.names.subscription() + " ENABLE");
            LagSample ready = logical.catchUp(Duration.ofMinutes(3));
            assertThat(ready.ready()).isTrue();
            assertThat(ready.lagBytes()).isLessThanOrEqualTo(64 * 1024);
            assertThat(ready.applyRate()).isPositive();
            assertThat(ready.drainEstimate()).isPresent();
            assertThat(pair.log).anyMatch(l -> l.startsWith("catch-up: lag ") && l.contains("ready to switch"));
            logical.drain(Duration.ofMinutes(1));
            assertThat(pair.targetValue("SELECT count(*) FROM items")).isEqualTo("21000");
        }
        assertThat(pair.leftovers()).isEmpty();
    }

    @Test
    void ddlOnTheSourceDuringCatchUpRefusesTheSwitchNamingTheObject() {
        LogicalPair pair = new LogicalPair("ll_ddl");
        pair.source(ITEMS);
        try (LogicalStrategy logical = pair.withDumpRestore(pair.options())) {
            logical.setup(LogicalReplicationTest.tables(pair), List.of());
            logical.checkSchemaUnchanged();
            pair.source("ALTER TABLE items ADD COLUMN extra int; CREATE INDEX items_note_idx ON items (note)");
            assertThatThrownBy(() -> logical.catchUp(Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.CHECK_FAILED))
                    .hasMessageContaining("table public.items changed")
                    .hasMessageContaining("index public.items_note_idx added");
            assertThatThrownBy(logical::checkSchemaUnchanged).hasMessageContaining("table public.items changed");
        }
        assertThat(pair.leftovers()).isEmpty();
    }

    @Test
    void aSetupThatFailsInTheBulkCopyLeavesNothingBehind() {
        LogicalPair pair = new LogicalPair("ll_fail");
        pair.source(ITEMS);
        LogicalStrategy logical = new LogicalStrategy(pair.source(), pair.target(), pair.options(), pair.copyOptions(),
                (source, target, tables, roles, snapshot) -> {
                    assertThat(pair.leftovers()).containsExactly("slot", "publication");
                    throw new EngineException(ExitCode.COPY_FAILED, "simulated: the bulk copy died");
                }, pair::print, Clock.systemUTC());
        assertThatThrownBy(() -> logical.setup(List.of(), List.of())).hasMessageContaining("simulated");
        logical.close();
        assertThat(pair.leftovers()).isEmpty();
    }

    @Test
    void theSourcePasswordInTheSubscriptionReachesNeitherTheMessageNorTheTargetLog() throws Exception {
        LogicalPair pair = new LogicalPair("ll_secret");
        pair.source(ITEMS);
        // the target server cannot reach this publisher: CREATE SUBSCRIPTION fails while it holds the password
        ConnectionSpec unreachable = new ConnectionSpec(pair.source().host(), 1, pair.sourceDb, pair.source().user(),
                pair.source().password(), pair.source().sslMode(), null);
        try (LogicalStrategy logical = pair.withDumpRestore(pair.options().withPublisher(unreachable))) {
            assertThatThrownBy(() -> logical.setup(LogicalReplicationTest.tables(pair), List.of()))
                    .hasMessageContaining("cannot create subscription")
                    .hasMessageNotContaining(TestServers.PASSWORD);
        }
        assertThat(pair.leftovers()).isEmpty();
        assertThat(Files.readString(pair.targetServer.logFile())).contains("could not connect to the publisher")
                .doesNotContain(TestServers.PASSWORD);
        assertThat(pair.log).noneMatch(l -> l.contains(TestServers.PASSWORD));
    }

    @Test
    void sigtermDuringCatchUpTearsDownThroughTheShutdownHook() throws Exception {
        LogicalPair pair = new LogicalPair("ll_term");
        pair.source(ITEMS + " CREATE TABLE loose (id int);");  // no key: the consented REPLICA IDENTITY FULL is set back on SIGTERM
        Path log = TestServers.workDir().resolve("migration.log");  // destroy() closes the pipes: the output goes to a file
        Process migration = SetupAndWait.start(pair, log);
        Awaitility.await().atMost(Duration.ofMinutes(3))
                .until(() -> !migration.isAlive() || Files.readString(log).contains("SETUP DONE"));
        assertThat(migration.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(pair.leftovers()).containsExactly("slot", "publication", "subscription");

        migration.destroy();  // SIGTERM
        assertThat(migration.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("teardown: dropped replication slot " + pair.names.slot() + " on "
                + pair.source().display());
        assertThat(Files.readString(log)).contains("REPLICA IDENTITY of the source's public.loose set back to DEFAULT");
        Directories.deleteRecursively(log.getParent());
        assertThat(pair.leftovers()).isEmpty();
        assertThat(pair.sourceValue("SELECT relreplident FROM pg_class WHERE relname = 'loose'")).isEqualTo("d");
    }

    @Test
    void teardownByNameFromElsewhereDropsEverythingAndIsIdempotent() {
        LogicalPair pair = new LogicalPair("ll_down");
        pair.source(ITEMS);
        LogicalStrategy crashed = pair.withDumpRestore(pair.options());
        crashed.setup(LogicalReplicationTest.tables(pair), List.of());
        pair.source("INSERT INTO items SELECT g, 'more' FROM generate_series(1001, 2000) g");
        try (Db source = Db.connect(pair.source())) {
            assertThat(LeftoverSlot.on(source)).filteredOn(s -> s.name().equals(pair.names.slot()))
                    .singleElement().satisfies(s -> {
                        assertThat(s.database()).isEqualTo(pair.sourceDb);
                        assertThat(s.retainedBytes()).isPositive();
                        assertThat(s.line()).contains(pair.names.slot(), "retains", "pg_drop_replication_slot");
                    });
        }
        // the process that made them is gone (its sessions and objects stay), the source still fenced
        // read-only: rollback or cleanup on another machine
        pair.sourceServer.executeSql("postgres", "ALTER DATABASE " + pair.sourceDb + " SET default_transaction_read_only = on");
        Teardown elsewhere = new Teardown(pair.source(), pair.target(), LogicalNames.of(pair.sourceDb), pair::print);
        Teardown.Result first;
        try {
            first = elsewhere.run();
        } finally {
            pair.sourceServer.executeSql("postgres", "ALTER DATABASE " + pair.sourceDb + " RESET default_transaction_read_only");
        }
        assertThat(first.clean()).isTrue();
        // subscription, the run's record on the target (schema pgrelocate), slot, publication
        assertThat(first.dropped()).hasSize(4).anyMatch(d -> d.startsWith("replication record of "));
        assertThat(pair.leftovers()).isEmpty();
        Teardown.Result again = elsewhere.run();
        assertThat(again.clean()).isTrue();
        assertThat(again.dropped()).isEmpty();
        crashed.close();
        try (Db source = Db.connect(pair.source())) {
            assertThat(LeftoverSlot.on(source)).noneMatch(s -> s.name().equals(pair.names.slot()));
        }
    }

    @Test
    void withoutABulkCopierTheSubscriptionCopiesBetweenTheSchemaHalves() throws Exception {
        LogicalPair pair = new LogicalPair("ll_sub");
        pair.source(ITEMS + """
                CREATE TABLE acked (id bigint PRIMARY KEY, note text NOT NULL);
                CREATE TABLE tags (id int PRIMARY KEY, item_id bigint NOT NULL REFERENCES items (id), tag text);
                CREATE INDEX tags_tag_idx ON tags (tag);
                INSERT INTO tags SELECT g, g, 'tag ' || (g % 7) FROM generate_series(1, 500) g;
                """);
        CopyOptions copy = pair.copyOptions();
        try (AckedWriter writer = new AckedWriter(pair.sourceServer, pair.sourceDb, "acked");
             LogicalStrategy logical = new LogicalStrategy(pair.source(), pair.target(), pair.options(), copy,
                     null, pair::print, Clock.systemUTC())) {
            assertThat(logical.preflight().passed()).isTrue();
            logical.setup(List.of(), List.of());
            try (Stream<Path> left = Files.list(copy.workDir())) {
                assertThat(left).as("the schema dump is removed").isEmpty();
            }
            assertThat(pair.targetValue("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conname = 'tags_item_id_fkey'"))
                    .isEqualTo("1");
            assertThat(pair.targetValue("SELECT count(*) FROM pg_indexes WHERE indexname = 'tags_tag_idx'")).isEqualTo("1");
            logical.catchUp(Duration.ofMinutes(3));
            Thread.sleep(1000);
            writer.close();
            logical.drain(Duration.ofMinutes(2));
            assertThat(logical.teardown().clean()).isTrue();
            List<Long> onTarget = Arrays.stream(pair.targetValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM acked")
                    .split(",")).map(Long::valueOf).toList();
            assertThat(onTarget).containsAll(writer.acknowledged()).isNotEmpty();
        }
        assertThat(new Verifier(ObjectFilter.SPILO_DEFAULT, pair::print).verify(pair.source(), pair.target()).differences()).isEmpty();
        assertThat(pair.leftovers()).isEmpty();
        try (Db source = Db.connect(pair.source())) {
            assertThat(source.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pg\\_%\\_sync\\_%'")).isZero();
        }
    }
}
