package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.WorkloadRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

@Command(name = "freeze", mixinStandardHelpOptions = true,
        description = {"Stops the applications that write to the source database.",
                "",
                "Records each workload's replicas in the ledger ConfigMap pgrelocate-ledger-<migration>, scales it to 0 "
                        + "and waits until its pods are gone. The migration Job does this itself; use freeze to stop the "
                        + "writers by hand. A second freeze after a crash keeps the counts recorded by the first, never the zeros.",
                "",
                "Example: pgrelocate freeze -n shop --workload deployment/web --dry-run", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:every workload is at 0 and its pods are gone (or --dry-run)",
                " 1:pods still there after --timeout; the ledger holds the counts: pgrelocate rollback",
                " 2:a workload does not exist, or no migration/workloads given (nothing changed)",
                "13:the Kubernetes API failed or is unreachable",
                "14:the ledger belongs to another migration or the migration is finished (nothing changed)"})
class FreezeCommand extends LedgerCommand {
    @Option(names = "--workload", paramLabel = "KIND/NAME",
            description = "deployment/NAME or statefulset/NAME; repeatable (default: PGRELOCATE_WORKLOADS in ConfigMap pgrelocate-settings).")
    List<String> workloads = new ArrayList<>();

    @Override
    int run(AppFreezer freezer, ClusterSettings settings) {
        List<WorkloadRef> refs = settings.workloads(workloads);
        // refuses unknown workloads and a finished or foreign ledger before anything is changed
        List<String> plan = freezer.check(refs);
        if (dryRun) {
            return printDryRun(plan);
        }
        try {
            freezer.freeze(refs, timeout(settings));
        } catch (EngineException e) {
            throw new EngineException(e.exitCode(), e.getMessage() + "; pgrelocate rollback restores the recorded replicas", e);
        }
        return 0;
    }

    @Override
    String timeoutSetting() {
        return ClusterSettings.FREEZE_TIMEOUT;
    }

    @Override
    String timeoutDefault() {
        return "5m";
    }
}
