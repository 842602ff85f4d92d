package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import picocli.CommandLine.Command;

import java.time.Clock;
import java.util.List;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Gives up a migration: the applications come back on the source database.",
                "",
                "Puts back every application setting a cutover rewrote (exactly as it was, from the Secret "
                        + "pgrelocate-cutover-<migration>), then scales every workload in the ledger to its recorded "
                        + "replicas and waits until they are ready; the "
                        + "source stays the database. Works from any machine, after a crashed or killed Job too: the "
                        + "counts live in the cluster. The migration is marked rolled back; a later freeze starts a "
                        + "fresh attempt.",
                "",
                "Example: pgrelocate rollback -n shop --migration shop-to-cnpg", ""})
class RollbackCommand extends RestoreCommand {
    @Override
    void beforeRestore(AppFreezer freezer, ClusterSettings settings) {
        Cutover cutover = new Cutover(cluster.client(), freezer.store(), printer(), Clock.systemUTC());
        if (dryRun) {
            freezer.store().read().map(Ledger::cutover).orElse(List.of()).stream().filter(r -> r.key() != null)
                    .forEach(r -> out().println("dry run: would restore " + r));
            return;
        }
        cutover.revert(timeout(settings));
    }

    @Override
    Ledger.State endState() {
        return Ledger.State.ROLLED_BACK;
    }
}
