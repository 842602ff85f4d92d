package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source restarts (pg_ctl restart, every session ends) while the subscription streams: the slot
 * and the subscription survive it, so the catch-up connects again and goes on; the rows written
 * before and after the restart are on the target, the switch verifies, and nothing is left behind.
 */
class SourceRestartTest {
    @Test
    void aSourceRestartDuringTheCatchUpIsRiddenOutAndTheSwitchVerifies() {
        try (LocalPostgres restarting = LocalPostgres.start(PgBinaries.system(15), TestServers.PASSWORD, Map.of("wal_level", "logical"))) {
            LogicalPair pair = new LogicalPair("sr", restarting);
            pair.source("CREATE TABLE items (id bigint PRIMARY KEY, note text NOT NULL);"
                    + " INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g");
            AtomicBoolean restarted = new AtomicBoolean();
            MigrationReport r = new Migration(settings(pair), line -> {
                pair.print(line);
                if (line.startsWith("logical: subscription ") && line.contains("streaming") && restarted.compareAndSet(false, true)) {
                    pair.source("INSERT INTO items SELECT g, 'before the restart' FROM generate_series(5001, 6000) g");
                    restarting.restart();
                    pair.source("INSERT INTO items SELECT g, 'after the restart' FROM generate_series(6001, 7000) g");
                }
            }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
            System.out.println(Summary.of(r));

            assertThat(restarted).isTrue();
            assertThat(r.exitCode()).as(r.error()).isZero();
            assertThat(pair.log).anyMatch(l -> l.startsWith("catch-up: a server went away ("))
                    .anyMatch(l -> l.startsWith("catch-up: both servers answer again, slot " + pair.names.slot() + " retains "));
            assertThat(r.verify().differences()).isEmpty();
            assertThat(pair.targetValue("SELECT count(*) || ' ' || max(id) FROM items")).isEqualTo("7000 7000");
            assertThat(pair.leftovers()).isEmpty();
        }
    }

    private static MigrationSettings settings(LogicalPair pair) {
        LogicalSettings logical = new LogicalSettings(pair.sourceDb, 1 << 20, Duration.ofMinutes(3), Duration.ofMinutes(1), false);
        return new MigrationSettings(pair.source(), pair.target(), pair.copyOptions().withStrategy(Strategy.LOGICAL), false, null, null, logical);
    }
}
