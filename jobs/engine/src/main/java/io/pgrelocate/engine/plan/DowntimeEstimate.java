package io.pgrelocate.engine.plan;

import io.pgrelocate.engine.copy.Durations;

import java.time.Duration;
import java.util.List;

/**
 * The applications' downtime per copy strategy, from the measured pg_dump rate: the dump takes what
 * backup-test measured; restoring and verifying read or write the same bytes and are assumed to run
 * at the same rate (pg_restore rebuilds indexes too, so treat the result as a lower bound).
 */
public record DowntimeEstimate(String strategy, Duration dump, Duration restore, Duration verify, Duration total, String how) {

    public static List<DowntimeEstimate> from(DumpMeasurement m, Duration freeze) {
        Duration dump = m.dump();
        Duration restore = dump;
        Duration verify = dump;
        return List.of(
                new DowntimeEstimate("dump", dump, restore, verify, freeze.plus(dump).plus(restore).plus(verify),
                        "migration Job: pg_dump -Fd, pg_restore, verify while the apps are frozen"),
                new DowntimeEstimate("import", dump, restore, Duration.ZERO, freeze.plus(dump).plus(restore),
                        "CNPG bootstrap.initdb.import: the new cluster dumps and restores; verify afterwards with the apps frozen or not"));
    }

    public String line() {
        return strategy + ": ~" + Durations.human(total) + " (dump " + Durations.human(dump) + ", restore ~" + Durations.human(restore)
                + (verify.isZero() ? "" : ", verify ~" + Durations.human(verify)) + "); " + how;
    }
}
