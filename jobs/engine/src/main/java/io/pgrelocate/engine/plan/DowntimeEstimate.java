package io.pgrelocate.engine.plan;

import io.pgrelocate.engine.common.Durations;

import java.time.Duration;
import java.util.List;

/**
 * The downtime per copy strategy, from the measured pg_dump rate: the write window (the source
 * fenced → the target takes writes) and the applications' downtime (the write window plus the
 * time allowed for them to stop and start). The dump takes what backup-test measured; restoring
 * and verifying read or write the same bytes and are assumed to run at the same rate (pg_restore
 * rebuilds indexes too, so treat the result as a lower bound).
 */
public record DowntimeEstimate(String strategy, Duration dump, Duration restore, Duration verify, Duration total,
                               Duration writeWindow, String how) {
    /** Fence, schema check, drain to the final LSN, sequences: independent of the size (counts and digests run after the thaw). */
    static final Duration LOGICAL_WINDOW = Duration.ofSeconds(5);

    public static List<DowntimeEstimate> from(DumpMeasurement m, Duration freeze) {
        Duration dump = m.dump();
        Duration restore = dump;
        Duration verify = dump;
        Duration dumpWindow = dump.plus(restore).plus(verify);
        Duration streamWindow = dump.plus(verify); // COPY reads and writes at once: one pass over the data
        return List.of(
                new DowntimeEstimate("dump", dump, restore, verify, freeze.plus(dumpWindow), dumpWindow,
                        "pg_dump -Fd, pg_restore and verify inside the window"),
                new DowntimeEstimate("stream", dump, Duration.ZERO, verify, freeze.plus(streamWindow), streamWindow,
                        "parallel COPY from one snapshot straight into the target, then verify, inside the window"),
                new DowntimeEstimate("logical", Duration.ZERO, Duration.ZERO, Duration.ZERO, freeze.plus(LOGICAL_WINDOW), LOGICAL_WINDOW,
                        "bulk copy and catch-up while the apps run; in the window only fence, schema check, drain, sequences "
                                + "(--verify at-switch: row counts and digests after the thaw); the same at any size, except the rows of "
                                + "unlogged tables, materialized views' refresh and large objects changed since the catch-up "
                                + "(`migrate --dry-run` names their size)"),
                new DowntimeEstimate("import", dump, restore, Duration.ZERO, freeze.plus(dump).plus(restore), dump.plus(restore),
                        "CNPG bootstrap.initdb.import: the new cluster dumps and restores; verify afterwards with the apps frozen or not"));
    }

    public String line() {
        // a copy made before the window (logical) has no dump to show, only its window
        String parts = dump.isZero() ? "write window ~" + Durations.human(writeWindow)
                : "dump " + Durations.human(dump) + (restore.isZero() ? "" : ", restore ~" + Durations.human(restore))
                + (verify.isZero() ? "" : ", verify ~" + Durations.human(verify)) + "; write window ~" + Durations.human(writeWindow);
        return strategy + ": ~" + Durations.human(total) + " app downtime (" + parts + "); " + how;
    }
}
