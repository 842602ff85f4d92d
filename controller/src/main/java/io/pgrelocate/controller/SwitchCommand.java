package io.pgrelocate.controller;

import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;

@Command(name = "switch", mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes (besides those of pgrelocate --help):%n",
        exitCodeList = {" 0:the target is live",
                "17:refused: the source's schema changed since replicate (each object named); the replication keeps streaming",
                "19:stopped (SIGTERM/SIGINT); the fence was lifted, the replication keeps streaming",
                "20:the source could not be fenced",
                "22:refused: no replication of --migration (run replicate first), its slot or subscription is gone, or the "
                        + "target is more than --max-lag behind; the replication keeps streaming"},
        description = {"The second half of a logical migration: the switchover window on the replication pgrelocate replicate left "
                        + "streaming, found by --migration. It first refuses, changing nothing, when there is no such replication, "
                        + "when the target is more than --max-lag behind, or when the source's schema changed since replicate. Then, "
                        + "as migrate --switchover does: fence the source, drain to its final position, sequences and what replication "
                        + "does not carry, verify, and print this line the moment the target may take writes:",
                "  " + SwitchoverWindow.TARGET_LIVE,
                "then drop subscription, slot, publication and the run's record. The report names the replicate run it continues. "
                        + "A failure before that line lifts the fence and leaves the replication streaming (switch again, or pgrelocate abort).",
                "",
                "Example: pgrelocate switch --migration shop --at 2026-12-12T02:00:00Z --source postgresql://postgres@old-db/app "
                        + "--target postgresql://postgres@new-db-rw/app", ""})
class SwitchCommand extends WindowCommand {
    @Option(names = "--dry-run", description = "Run preflight and show the window's plan; fence nothing.")
    boolean dryRun;

    @Option(names = "--at", paramLabel = "TIME", converter = SwitchTime.class,
            description = "Open the window at TIME (ISO-8601 with offset, e.g. 2026-12-12T02:00:00Z, or HH:MM today/tomorrow in the "
                    + "local time zone); the replication is checked first, and its status shown while waiting.")
    Instant at;

    @Override
    MigrationReport run(Runbook runbook) {
        return runbook.switchOver(dryRun, Applications.switchWithoutApplications(), at);
    }
}
