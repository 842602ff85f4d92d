package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.Ledger;
import picocli.CommandLine.Command;

@Command(name = "thaw", mixinStandardHelpOptions = true,
        description = {"Brings the applications back after a verified copy.",
                "",
                "Scales every workload in the ledger to its recorded replicas, waits until they are ready, and marks "
                        + "the migration thawed (a later freeze of the same migration is refused). To give up instead, "
                        + "use pgrelocate rollback.",
                "",
                "Example: pgrelocate thaw -n shop --dry-run", ""})
class ThawCommand extends RestoreCommand {
    @Override
    Ledger.State endState() {
        return Ledger.State.THAWED;
    }
}
