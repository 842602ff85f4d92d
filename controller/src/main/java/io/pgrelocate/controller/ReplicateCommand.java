package io.pgrelocate.controller;

import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Runbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replicate", mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes (besides those of pgrelocate --help):%n",
        exitCodeList = {" 0:the replication streams (caught up, or just enabled with --detach); the process ends, the replication goes on",
                "22:logical replication cannot be used here, did not catch up in --catch-up-timeout (it keeps streaming), or an earlier "
                        + "run stopped during its bulk copy cannot be resumed (the reason is named; pgrelocate abort, empty the target, "
                        + "replicate again)"},
        description = {"The first half of a logical migration, for a switch days later: preflight, a replication slot on the source "
                        + "with its exported snapshot, the bulk copy from that snapshot, the subscription on the target; returns once "
                        + "the target is within --max-lag of the source (at once with --detach) and leaves the replication streaming "
                        + "on the two servers. Nothing is frozen or fenced; the applications keep writing to the source.",
                "",
                "The run is recorded on the target (table pgrelocate.replication: when it started, where its slot began, the source's "
                        + "schema fingerprint), so that pgrelocate status, switch and abort find it by --migration with no pgrelocate process "
                        + "running. A rerun finds it and only waits for the catch-up. A run stopped during its bulk copy resumes: the "
                        + "tables it finished stay, the others are copied again by PostgreSQL's own table sync (the README says when it "
                        + "must start over instead).",
                "",
                "While it streams the slot keeps WAL on the source until the target confirms it: watch it with pgrelocate status; "
                        + "pgrelocate abort drops it.",
                "",
                "Example:",
                "  pgrelocate replicate --migration shop --source postgresql://postgres@old-db/app --target postgresql://postgres@new-db-rw/app",
                "  pgrelocate status --migration shop --source … --target …;  pgrelocate switch --migration shop --source … --target …", ""})
class ReplicateCommand extends ReplicationCommand {
    @Option(names = "--dry-run", description = "Run preflight and say what would happen; create nothing.")
    boolean dryRun;

    @Option(names = "--detach", description = "Return as soon as the subscription is enabled, without waiting for the catch-up.")
    boolean detach;

    @Override
    MigrationReport run(Runbook runbook) {
        return runbook.replicate(dryRun, detach);
    }
}
