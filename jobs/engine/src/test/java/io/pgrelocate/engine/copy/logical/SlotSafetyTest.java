package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.testing.TestServers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a stalled replication costs the source, on real servers: preflight says it (unlimited: the
 * volume fills; limited: how much the slot may hold), a slot that max_slot_wal_keep_size
 * invalidated ends the run with exit 22 and the fix, and WAL retained while the target applies
 * nothing is a warning line.
 */
class SlotSafetyTest {
    private static final String ITEMS = "CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL);"
            + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g;";

    private static Check retention(LogicalPair pair) {
        PreflightResult r = new LogicalPreflight(pair.options(), false).run(pair.source(), pair.target());
        assertThat(r.passed()).as("a warning, never a refusal").isTrue();
        Check c = r.checks().stream().filter(x -> x.name().equals(WalRetentionCheck.NAME)).findFirst().orElseThrow();
        System.out.println(c.progressLine());
        return c;
    }

    @Test
    void preflightWarnsThatAnUnlimitedSlotFillsTheSourcesVolumeAndSuggestsALimit() {
        LogicalPair pair = new LogicalPair("ss_unlimited");
        pair.source(ITEMS);
        assertThat(pair.sourceValue("SHOW max_slot_wal_keep_size")).isEqualTo("-1");

        Check c = retention(pair);

        assertThat(c.message()).startsWith("warning: max_slot_wal_keep_size=-1 (unlimited)")
                .contains("keeps every WAL segment on the source's volume until it fills", "pg_wal holds ",
                        "through the bulk copy (the subscription starts after it)", "/s on average (pg_stat_wal)")
                // the test's source runs on this host: the suggestion comes from the free space of its pg_wal volume
                .containsPattern("ALTER SYSTEM SET max_slot_wal_keep_size = '\\d+MB'; SELECT pg_reload_conf\\(\\); \\(half of the .* free");
    }

    @Test
    void aSlotInvalidatedByItsLimitEndsTheRunWithTheFixAndLeavesNothingBehind() {
        try (LocalPostgres limited = limitedSource(Map.of())) {
            LogicalPair pair = new LogicalPair("ss_lost", limited);
            pair.source(ITEMS);
            assertThat(retention(pair).message()).startsWith("max_slot_wal_keep_size=1.0 MiB: the slot may hold up to 1.0 MiB of WAL")
                    .containsPattern("so a bulk copy longer than about .* at that rate loses the slot before the catch-up$");

            AtomicBoolean stalled = new AtomicBoolean();
            MigrationReport r = new Migration(settings(pair), line -> {
                pair.print(line);
                if (line.startsWith("logical: subscription ") && line.contains("streaming") && stalled.compareAndSet(false, true)) {
                    stallUntilLost(pair);
                }
            }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
            System.out.println(Summary.of(r));

            assertThat(stalled).isTrue();
            assertThat(r.exitCode()).isEqualTo(ExitCode.REPLICATION.code());
            assertThat(r.error()).contains("replication slot " + pair.names.slot(), "was invalidated (wal_status lost)",
                    "max_slot_wal_keep_size=1.0 MiB", "the target can never catch up", "pgrelocate rollback", "run the migration again");
            assertThat(pair.log).noneMatch(l -> l.startsWith("fence: raised"));
            assertThat(pair.leftovers()).isEmpty();
            pair.source("INSERT INTO items VALUES (-1, 'the source stays writable')");
        }
    }

    /**
     * Past max_wal_size and max_slot_wal_keep_size the slot is {@code unreserved} until the next checkpoint removes its WAL:
     * a warning, then (checkpoint) the end. The checkpointer is held (SIGSTOP) to keep that moment still for the test.
     */
    @Test
    void aSlotPastItsLimitIsAWarningUntilTheCheckpointInvalidatesIt() throws Exception {
        try (LocalPostgres limited = limitedSource(Map.of("max_wal_size", "32MB", "min_wal_size", "32MB"))) {
            LogicalPair pair = new LogicalPair("ss_unres", limited);
            pair.source(ITEMS);
            try (LogicalStrategy logical = pair.withDumpRestore(pair.options()); Db src = Db.connect(pair.source())) {
                logical.setup(LogicalReplicationTest.tables(pair), List.of());
                pair.target("ALTER SUBSCRIPTION " + pair.names.subscription() + " DISABLE");
                Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> "false".equals(pair.sourceValue(
                        "SELECT active::text FROM pg_replication_slots WHERE slot_name = '" + pair.names.slot() + "'")));
                String checkpointer = pair.sourceValue("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
                SlotWatch watch = new SlotWatch(pair.names.slot(), Duration.ofMinutes(1), Clock.systemUTC());
                signal("STOP", checkpointer);
                try {
                    for (int i = 0; i < 5; i++) {
                        pair.source("INSERT INTO items VALUES (" + (200000 + i) + ", 'w'); SELECT pg_switch_wal()");
                    }
                    assertThat(SlotHealth.read(src, pair.names.slot()).orElseThrow().walStatus()).isEqualTo("unreserved");
                    watch.check(src, pair::print);
                    watch.check(src, pair::print);  // once a minute at most
                } finally {
                    signal("CONT", checkpointer);
                }
                assertThat(pair.log).filteredOn(l -> l.startsWith(SlotWatch.WARNING)).singleElement().asString()
                        .contains("wal_status unreserved", "past max_slot_wal_keep_size=1.0 MiB", "the source's next checkpoint invalidates it");

                pair.source("CHECKPOINT");
                assertThatThrownBy(() -> watch.check(src, pair::print))
                        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REPLICATION));
            }
            assertThat(pair.leftovers()).isEmpty();
        }
    }

    private static void signal(String signal, String pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor()).isZero();
    }

    /** In the window an invalidated slot would never drain: the drain says so at once, not at its timeout. */
    @Test
    void aLostSlotStopsTheDrainAtOnce() {
        try (LocalPostgres limited = limitedSource(Map.of())) {
            LogicalPair pair = new LogicalPair("ss_drain", limited);
            pair.source(ITEMS);
            try (LogicalStrategy logical = pair.withDumpRestore(pair.options())) {
                logical.setup(LogicalReplicationTest.tables(pair), List.of());
                stallUntilLost(pair);
                long started = System.nanoTime();

                assertThatThrownBy(() -> logical.drain(Duration.ofMinutes(5)))
                        .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REPLICATION))
                        .hasMessageContaining("was invalidated (wal_status lost)");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
            assertThat(pair.leftovers()).isEmpty();
        }
    }

    /** Said once a stall has lasted (the catch-up waits {@link CatchUpMonitor#WINDOW}, here a second), then at most once a minute. */
    @Test
    void walRetainedWhileTheTargetAppliesNothingIsAWarningLine() throws Exception {
        LogicalPair pair = new LogicalPair("ss_stall");
        pair.source(ITEMS);
        try (LogicalStrategy logical = pair.withDumpRestore(pair.options())) {
            logical.setup(LogicalReplicationTest.tables(pair), List.of());
            pair.target("ALTER SUBSCRIPTION " + pair.names.subscription() + " DISABLE");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !logical.monitor().sample().applyRunning());
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 0; writing.get(); i++) {
                    pair.source("INSERT INTO items SELECT g, repeat('x', 100) FROM generate_series(" + (2000 + i * 100) + ", "
                            + (2099 + i * 100) + ") g");
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                }
            }, "ss-writer");
            writer.start();
            SlotWatch watch = new SlotWatch(pair.names.slot(), Duration.ofSeconds(1), Clock.systemUTC());
            try (Db src = Db.connect(pair.source())) {
                long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (System.nanoTime() < until) {
                    watch.check(src, pair::print);
                    Thread.sleep(300);
                }
            } finally {
                writing.set(false);
                writer.join();
            }
            assertThat(pair.log).filteredOn(l -> l.startsWith(SlotWatch.WARNING)).hasSize(1).first().asString()
                    .contains("slot " + pair.names.slot() + " retains ", "while the target applied nothing", "pg_stat_subscription",
                            "grows until the source's volume is full");
            try (Db src = Db.connect(pair.source())) {
                SlotHealth health = SlotHealth.read(src, pair.names.slot()).orElseThrow();
                assertThat(health.walStatus()).isEqualTo("reserved");
                assertThat(health.retainedBytes()).isPositive();
                assertThat(health.keepLimit()).isEqualTo(-1L);
            }
        }
        assertThat(pair.leftovers()).isEmpty();
    }

    /** Stops the apply, writes WAL across segments and checkpoints until the source invalidates the slot. */
    private static void stallUntilLost(LogicalPair pair) {
        pair.target("ALTER SUBSCRIPTION " + pair.names.subscription() + " DISABLE");
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> "false".equals(pair.sourceValue(
                "SELECT active::text FROM pg_replication_slots WHERE slot_name = '" + pair.names.slot() + "'")));
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
            pair.source("INSERT INTO items SELECT g, repeat('w', 500) FROM generate_series(100001, 104000) g"
                    + " ON CONFLICT (id) DO UPDATE SET note = excluded.note; SELECT pg_switch_wal(); CHECKPOINT");
            return "lost".equals(pair.sourceValue("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + pair.names.slot() + "'"));
        });
    }

    /** A source server of the test's own whose slots may hold 1 MB of WAL, with {@code more} settings. */
    private static LocalPostgres limitedSource(Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("wal_level", "logical", "max_slot_wal_keep_size", "1MB"));
        settings.putAll(more);
        return LocalPostgres.start(PgBinaries.system(15), TestServers.PASSWORD, settings);
    }

    private static MigrationSettings settings(LogicalPair pair) {
        LogicalSettings logical = new LogicalSettings(pair.sourceDb, 1 << 20, Duration.ofMinutes(2), Duration.ofMinutes(1), false);
        return new MigrationSettings(pair.source(), pair.target(), pair.copyOptions().withStrategy(Strategy.LOGICAL), false, null, null, logical);
    }
}
