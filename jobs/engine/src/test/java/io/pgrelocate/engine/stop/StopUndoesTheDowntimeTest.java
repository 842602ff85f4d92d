package io.pgrelocate.engine.stop;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
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
        Applications writers = new Applications() {
            @Override
            public List<String> check() {
                return List.of("deployment/shop");
            }

            @Override
            public boolean switchesToTarget() {
                return false;
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
            }

            @Override
            public void undo() {
                events.add("undone");
            }

            @Override
            public ApplicationsReport report() {
                return null;
            }
        };
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
}
