package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.kube.JobFollower;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.Optional;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows where a migration stands: its ledger and the newest Jobs.",
                "",
                "The replica ledger: state, phases with their times, each workload's recorded replicas against its "
                        + "current and ready ones. For each of the five templates: the newest Job and its result. "
                        + "Changes nothing.",
                "",
                "Example: pgrelocate status -n shop;  pgrelocate status -n shop -o json | jq .state", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:shown", " 2:-o json without a migration name",
                "13:the Kubernetes API failed or is unreachable",
                "14:the ledger belongs to another migration, or (-o json) there is none"})
class StatusCommand extends KubeCommand {
    @Mixin
    MigrationOption migration;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), or json: the ledger exactly as stored.")
    String output;

    @Override
    int run(Cluster cluster) {
        if (!"text".equals(output) && !"json".equals(output)) {
            throw new SettingsException("-o " + output + ": text or json");
        }
        ClusterSettings settings = new ClusterSettings(cluster);
        if ("json".equals(output)) {
            out().println(ledgerJson(cluster, store(cluster, settings)));
            out().flush();
            return ExitCode.OK.code();
        }
        try {
            LedgerStore store = store(cluster, settings);
            store.read().ifPresentOrElse(
                    l -> LedgerText.lines(l, where(store), ref -> now(cluster, ref)).forEach(out()::println),
                    () -> out().println("migration " + store.migration() + ": no ledger " + where(store) + " (nothing frozen yet)"));
        } catch (SettingsException e) {
            out().println("ledger: " + e.getMessage()); // the Jobs below are still worth seeing
        }
        out().println("jobs:");
        JobLauncher launcher = new JobLauncher(cluster.client(), cluster.namespace());
        JobFollower follower = new JobFollower(cluster.client(), cluster.namespace(), Clock.systemUTC());
        for (String job : JobArgument.JOBS) {
            out().println(String.format("  %-14s %s", job, launcher.latest(job).map(j -> describe(j, follower)).orElse("none")));
        }
        out().flush();
        return ExitCode.OK.code();
    }

    private LedgerStore store(Cluster cluster, ClusterSettings settings) {
        return new LedgerStore(cluster.client(), cluster.namespace(), migration.resolve(settings));
    }

    /** The stored document itself, after LedgerStore has checked that it is this migration's. */
    private static String ledgerJson(Cluster cluster, LedgerStore store) {
        if (store.read().isEmpty()) {
            throw new EngineException(ExitCode.LEDGER, "no ledger " + where(store) + ": migration '" + store.migration() + "' never froze anything");
        }
        return cluster.client().configMaps().inNamespace(store.namespace()).withName(store.name()).get().getData().get(LedgerStore.KEY);
    }

    private static String where(LedgerStore store) {
        return store.namespace() + "/" + store.name();
    }

    private static String describe(Job job, JobFollower follower) {
        String result = follower.resultIfFinished(job).map(JobOutcome::describe).orElseGet(() ->
                job.getStatus() != null && job.getStatus().getActive() != null && job.getStatus().getActive() > 0 ? "running" : "pending");
        return String.format("%-44s %-22s %s", job.getMetadata().getName(), job.getMetadata().getCreationTimestamp(), result);
    }

    private static Optional<LedgerText.Now> now(Cluster cluster, WorkloadRef ref) {
        var apps = cluster.client().apps();
        return switch (ref.kind()) {
            case DEPLOYMENT -> Optional.ofNullable(apps.deployments().inNamespace(cluster.namespace()).withName(ref.name()).get())
                    .map(d -> new LedgerText.Now(orZero(d.getSpec().getReplicas()), d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas())));
            case STATEFULSET -> Optional.ofNullable(apps.statefulSets().inNamespace(cluster.namespace()).withName(ref.name()).get())
                    .map(s -> new LedgerText.Now(orZero(s.getSpec().getReplicas()), s.getStatus() == null ? 0 : orZero(s.getStatus().getReadyReplicas())));
        };
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
