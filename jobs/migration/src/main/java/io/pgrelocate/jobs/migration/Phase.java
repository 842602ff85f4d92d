package io.pgrelocate.jobs.migration;

import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.switchover.Applications;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What one run of the migration Job does ({@code PGRELOCATE_PHASE}): the whole migration, or one of
 * logical's phases, so that a replicate Job and, days later, a switch Job continue one migration.
 */
enum Phase {
    /** Preflight, the window, verify: everything in one run (the default). */
    MIGRATE("preflight, freeze, fence, copy, verify, cutover, thaw"),
    /** Slot, bulk copy, subscription, catch-up; the Job ends with the replication streaming. */
    REPLICATE("replicate: preflight, slot, bulk copy, subscription, catch-up; the replication keeps streaming after the Job"),
    /** The window on the replication a replicate Job left. */
    SWITCH("switch: the window on the replication replicate left (freeze, fence, drain, verify, cutover, thaw)"),
    /** Drops the replication a replicate Job left; the copied rows stay on the target. */
    ABORT("abort: drop subscription, slot, publication and the run's record");

    private final String plan;

    Phase(String plan) {
        this.plan = plan;
    }

    static Phase parse(String text) {
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(text.strip())).findFirst()
                .orElseThrow(() -> new SettingsException("PGRELOCATE_PHASE '" + text + "': one of "
                        + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
    }

    String plan() {
        return plan;
    }

    /** Runs this phase; {@code downtime} (the applications' window) is only built by the phases that open a window. */
    MigrationReport run(Runbook runbook, boolean dryRun, Supplier<Applications> downtime) {
        return switch (this) {
            case MIGRATE -> runbook.migrate(dryRun, downtime.get());
            case REPLICATE -> runbook.replicate(dryRun, false);
            case SWITCH -> runbook.switchOver(dryRun, downtime.get(), null);
            case ABORT -> runbook.abortReplication(dryRun);
        };
    }
}
