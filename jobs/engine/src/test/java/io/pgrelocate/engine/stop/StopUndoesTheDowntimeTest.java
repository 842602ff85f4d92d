package io.pgrelocate.engine.stop;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.verify.VerifyMode;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.testing.SlowRestore;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop during the restore, in the migration Job's shape (writers stopped around the copy): the
 * writers are brought back (undo: the failure path) before the run ends, and the report says the run was interrupted.
 * The signal itself is played by calling the handler (the child-JVM test in the controller sends a real one).
 */
class StopUndoesTheDowntimeTest {
    @AfterEach
    void forgetTheStop() {
        StopSignals.reset();
    }

    @Test
    void sigtermDuringTheRestoreBringsTheWritersBack() throws Exception {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "undo_src");
        String dst = TestServers.freshDatabase(pg, "undo_dst");
        SlowRestore.source(pg, src, dst);
        List<String> events = new CopyOnWriteArrayList<>();
        Applications writers = new Writers(events, false, () -> { });
        CountDownLatch restoring = new CountDownLatch(1);
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false), false);
        Migration migration = new Migration(settings, line -> {
            if (line.startsWith("restore: ")) {
                restoring.countDown();
            }
        }, Clock.systemUTC());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> StopSignals.guard(Duration.ofSeconds(60), System.err,
                () -> {
                    MigrationReport r = migration.migrate(false, writers);
                    events.add("report: exit " + r.exitCode() + ", " + r.error());
                    return r.exitCode();
                }));
        assertThat(restoring.await(120, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1000);

        StopSignals.stop("SIGTERM");

        assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isEqualTo("frozen");
        assertThat(events.get(1)).isEqualTo("undone");
        assertThat(events.get(2)).startsWith("report: exit 19, interrupted during the restore");
    }

    /**
     * A stop after the target went live is no verification finding and undoes nothing: the applications stay on the
     * target, the source stays fenced, and the run says the proof is unfinished, not that verify found a difference.
     */
    @Test
    void sigtermAfterTheTargetIsLiveLeavesItLiveAndSaysSo() {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "live_src");
        String dst = TestServers.freshDatabase(pg, "live_dst");
        try (Db source = Db.connect(TestServers.spec(pg, src))) {
            source.execute("CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 1000)");
        }
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> out = new CopyOnWriteArrayList<>();
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, src), TestServers.spec(pg, dst),
                TestServers.copyOptions(TestServers.workDir(), false), false, VerifyMode.AT_SWITCH);
        Migration migration = new Migration(settings, out::add, Clock.systemUTC());
        java.io.ByteArrayOutputStream signalLines = new java.io.ByteArrayOutputStream();
        try {
            int code = StopSignals.guard(Duration.ofSeconds(60), new java.io.PrintStream(signalLines, true), () -> {
                MigrationReport r = migration.migrate(false, new Writers(events, true, StopUndoesTheDowntimeTest::sigtermFromAnotherThread));
                events.add("report: exit " + r.exitCode() + ", " + r.result());
                return r.exitCode();
            });

            assertThat(code).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(events).containsExactly("frozen", "cut over", "thawed",
                    "report: exit 19, FAILED: " + ExitCode.INTERRUPTED.meaning());
            assertThat(ExitCode.INTERRUPTED.meaning()).contains("after it the target stays live and the source fenced");
            assertThat(signalLines.toString()).startsWith("stop: SIGTERM received; stopping the running tools and ending the run:"
                    + " the target is live and stays so, the source stays fenced").doesNotContain("undoing");
            assertThat(out).noneMatch(l -> l.contains("VERIFY FOUND"))
                    .anyMatch(l -> l.startsWith("verify: interrupted after the switch: the target is live and the source stays fenced"));
            try (Db source = Db.connect(TestServers.spec(pg, src))) {
                assertThat(Fence.read(source)).isPresent();
            }
        } finally {
            try (Db source = Db.connect(TestServers.spec(pg, src))) {
                new Fence(line -> { }, Clock.systemUTC()).lift(source);
            }
        }
    }

    /** As the JVM delivers a signal: on a thread of its own; returns once the run has been told to stop. */
    private static void sigtermFromAnotherThread() {
        new Thread(() -> StopSignals.stop("SIGTERM"), "test-sigterm").start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(Interruption::requested);
    }

    /** The applications' port as the migration Job drives it, recording each call; {@code onThaw} runs when they come back. */
    private record Writers(List<String> events, boolean switches, Runnable onThaw) implements Applications {
        @Override
        public List<String> check() {
            return List.of("deployment/shop");
        }

        @Override
        public boolean switchesToTarget() {
            return switches;
        }

        @Override
        public void freeze() {
            events.add("frozen");
        }

        @Override
        public void cutOver() {
            events.add("cut over");
        }

        @Override
        public void thaw() {
            events.add("thawed");
            onThaw.run();
        }

        @Override
        public void undo() {
            events.add("undone");
        }

        @Override
        public ApplicationsReport report() {
            return null;
        }
    }
}
