package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.HostRewrite;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

@Command(name = "cutover", mixinStandardHelpOptions = true,
        description = {"Points the applications at the target database.",
                "",
                "Rewrites every setting of the applications that names a source host — literal env values and the "
                        + "keys of the ConfigMaps and Secrets they read — to the target host, restarts them and waits "
                        + "until they are ready. The previous values are kept in the Secret pgrelocate-cutover-<migration> "
                        + "(they may hold passwords) and the ledger lists what changed; pgrelocate rollback puts every "
                        + "value back exactly. Host names match in every form (acid-main, acid-main.NS, "
                        + "acid-main.NS.svc, acid-main.NS.svc.cluster.local), never look-alikes such as acid-main-repl.",
                "",
                "Example: pgrelocate cutover -n shop --host acid-main=main-pooler-rw --host acid-main-repl=main-pooler-ro --dry-run", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the applications use the target and are ready (or --dry-run)",
                " 2:bad --host, an unknown application, or no setting names a source host (nothing changed)",
                "13:the Kubernetes API failed or is unreachable",
                "14:no ledger (migrate first), or already cut over (nothing changed)",
                "15:the applications are not ready after the restart: pgrelocate rollback"})
class CutoverCommand extends LedgerCommand {
    @Option(names = "--host", paramLabel = "SOURCE=TARGET", required = true,
            description = "A source Service host and the target host that replaces it, e.g. acid-main=main-pooler-rw "
                    + "or acid-main=db1.abc.eu-west-1.rds.amazonaws.com; repeatable (rw and ro).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--app", paramLabel = "KIND/NAME",
            description = "deployment/NAME or statefulset/NAME to cut over; repeatable (default: the workloads in the ledger).")
    List<String> apps = new ArrayList<>();

    @Override
    int run(AppFreezer freezer, ClusterSettings settings) {
        HostRewrite rewrite = new HostRewrite(hosts.stream().map(HostRewrite.Mapping::parse).toList(), cluster.namespace());
        List<WorkloadRef> targets = apps.isEmpty()
                ? freezer.store().read().map(l -> l.workloads().stream().map(Ledger.Entry::ref).toList()).orElse(List.of())
                : WorkloadRef.parseAll(apps);
        if (targets.isEmpty()) {
            throw new SettingsException("no application to cut over: the ledger records none; pass --app deployment/NAME");
        }
        Cutover cutover = new Cutover(cluster.client(), freezer.store(), printer(), Clock.systemUTC());
        if (dryRun) {
            // names only: a value may hold a password
            return printDryRun(cutover.plan(targets, rewrite).stream().map(c -> "would rewrite " + c.ref()).toList());
        }
        Ledger ledger = cutover.apply(targets, rewrite, timeout(settings));
        out().println("cutover: " + ledger.cutover().stream().filter(r -> r.key() != null).count()
                + " setting(s) rewritten; previous values in Secret " + cutover.backupSecretName() + "; undo with pgrelocate rollback");
        out().flush();
        return 0;
    }
}
