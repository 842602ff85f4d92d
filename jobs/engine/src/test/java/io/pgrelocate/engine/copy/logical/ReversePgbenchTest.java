package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * pgbench on the target after a logical switch, still running while the rollback fences the target:
 * everything the target committed is on the source afterwards (pgbench_history, which has no key,
 * included: the run's --replica-identity-full consent holds for the reverse stream), so the two
 * databases hold the same pgbench figures.
 */
class ReversePgbenchTest {
    final LocalPostgres pg = TestServers.pg15Logical();

    @Test
    void pgbenchOnTheTargetAfterTheSwitchIsAllOnTheSourceAfterTheRollback() throws Exception {
        String source = TestServers.freshDatabase(pg, "rp_src");
        String target = TestServers.freshDatabase(pg, "rp_dst");
        String name = "rp_" + source;
        List<String> out = new CopyOnWriteArrayList<>();
        try (Pgbench init = new Pgbench(pg, source)) {
            init.initialize(2);
        }
        LogicalSettings logical = new LogicalSettings(name, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), true);
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL), false, null, null, logical);
        MigrationReport r = new Migration(settings, out::add, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
        assertThat(r.exitCode()).as(String.join("\n", out)).isZero();
        assertThat(out).anyMatch(l -> l.startsWith("logical: set REPLICA IDENTITY FULL on the target's public.pgbench_history"));
        long atSwitch = Long.parseLong(LogicalPair.value(pg, target, "SELECT count(*) FROM pgbench_history"));

        try (Pgbench load = new Pgbench(pg, target)) {
            load.startLoad(4);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Long.parseLong(LogicalPair.value(pg, target, "SELECT count(*) FROM pgbench_history")) > atSwitch + 500);
            out.clear();
            try (Db s = Db.connect(TestServers.spec(pg, source))) {
                new Rollback(out::add, Clock.systemUTC(), TestServers.spec(pg, target)).sourceOnly(s, name, false);
            }
        }
        System.out.println(String.join("\n", out));
        for (String sql : List.of("SELECT count(*) || '/' || sum(delta) FROM pgbench_history", "SELECT sum(abalance) FROM pgbench_accounts",
                "SELECT sum(bbalance) FROM pgbench_branches", "SELECT sum(tbalance) FROM pgbench_tellers")) {
            assertThat(LogicalPair.value(pg, source, sql)).as(sql).isEqualTo(LogicalPair.value(pg, target, sql));
        }
        assertThat(Long.parseLong(LogicalPair.value(pg, source, "SELECT count(*) FROM pgbench_history"))).isGreaterThan(atSwitch + 500);
        assertThat(out).anyMatch(l -> l.startsWith("rollback window: write window "));
    }
}
