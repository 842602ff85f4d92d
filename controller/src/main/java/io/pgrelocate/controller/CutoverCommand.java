package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.HostRewrite;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.switchover.SourceMarker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Instant;
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
                "After a migration that brought the applications back onto the source (no PGRELOCATE_CUTOVER_HOSTS), "
                        + "cutover first compares the source with the verified-copy marker in the ledger (per table the "
                        + "inserts/updates/deletes, per sequence its value) and refuses, naming each change, when anything was "
                        + "written since: those writes are not on the target. That check needs --source. The better way is "
                        + "one window: the migration Job with PGRELOCATE_CUTOVER_HOSTS fences the source and cuts over before the thaw.",
                "",
                "Example: pgrelocate cutover -n shop --host acid-main=main-pooler-rw --host acid-main-repl=main-pooler-ro --dry-run", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the applications use the target and are ready (or --dry-run)",
                " 2:bad --host, an unknown application, or no setting names a source host (nothing changed)",
                "13:the Kubernetes API failed or is unreachable",
                "14:no ledger (migrate first), or already cut over (nothing changed)",
                "15:the applications are not ready after the restart: pgrelocate rollback",
                "21:the source changed since the verified copy (each change named; nothing changed): re-sync first"})
class CutoverCommand extends LedgerCommand {
    @Option(names = "--host", paramLabel = "SOURCE=TARGET", required = true,
            description = "A source Service host and the target host that replaces it, e.g. acid-main=main-pooler-rw "
                    + "or acid-main=db1.abc.eu-west-1.rds.amazonaws.com; repeatable (rw and ro).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--app", paramLabel = "KIND/NAME",
            description = "deployment/NAME or statefulset/NAME to cut over; repeatable (default: the workloads in the ledger).")
    List<String> apps = new ArrayList<>();

    @Mixin
    SourceOption source;

    @Override
    int run(AppFreezer freezer, ClusterSettings settings) {
        requireUnchangedSource(freezer.store().read().map(Ledger::verifiedCopy).orElse(null));
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

    /** A copy verified before the applications went back onto the source is only good while the source stays as it was. */
    private void requireUnchangedSource(SourceMarker marker) {
        if (marker == null) {
            return;
        }
        if (!source.given()) {
            throw new SettingsException("migration went back onto the source after its copy was verified at " + marker.at()
                    + ": pass --source URI so that cutover can check nothing was written there since; nothing was changed");
        }
        try (Db db = source.connect()) {
            marker.requireUnchanged(db, Instant.now());
        }
        printer().accept("cutover: the source is unchanged since the verified copy at " + marker.at());
    }
}
