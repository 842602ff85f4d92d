package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Ledger;
import picocli.CommandLine.Command;

/** thaw and rollback: scale every workload in the ledger back to its recorded replicas; they differ in the state left behind. */
@Command(exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every workload is back at its recorded replicas and ready (or --dry-run)",
                " 2:no migration given (no --migration, no PGRELOCATE_MIGRATION)",
                "13:the Kubernetes API failed or is unreachable",
                "14:no ledger for this migration (nothing was frozen), or it belongs to another",
                "15:some workloads are not back in time; the ledger keeps the counts: run it again"})
abstract class RestoreCommand extends LedgerCommand {
    abstract Ledger.State endState();

    /** Runs before the replicas are restored; rollback undoes a cutover here. */
    void beforeRestore(AppFreezer freezer, ClusterSettings settings) {
    }

    @Override
    int run(AppFreezer freezer, ClusterSettings settings) {
        beforeRestore(freezer, settings);
        if (dryRun) {
            return printDryRun(freezer.thawPlan());
        }
        Ledger ledger = freezer.thaw(timeout(settings), endState());
        out().println(spec.name() + ": ledger " + freezer.store().namespace() + "/" + freezer.store().name() + " is now "
                + ledger.state().label());
        out().flush();
        return 0;
    }
}
