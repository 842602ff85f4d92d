package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.Ledger;
import picocli.CommandLine.Command;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Gives up a migration: the applications come back on the source database.",
                "",
                "Scales every workload in the ledger to its recorded replicas and waits until they are ready; the "
                        + "source stays the database. Works from any machine, after a crashed or killed Job too: the "
                        + "counts live in the cluster. The migration is marked rolled back; a later freeze starts a "
                        + "fresh attempt.",
                "",
                "Example: pgrelocate rollback -n shop --migration shop-to-cnpg", ""})
class RollbackCommand extends RestoreCommand {
    @Override
    Ledger.State endState() {
        return Ledger.State.ROLLED_BACK;
    }
}
