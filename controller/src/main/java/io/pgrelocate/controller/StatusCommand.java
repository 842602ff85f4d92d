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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows where a migration stands: its ledger and the newest Jobs.",
                "",
                "The replica ledger: state, phases with their times, each workload's recorded replicas against its "
                        + "current and ready ones. For each of the five templates: the newest Job and its result. "
                        + "Changes nothing.",
                "",
                "With -w it keeps the view up to date, with the newest lines of the running migration Job's log (the "
                        + "copy's per-table progress, the replication lag, the window's phases as they pass), until that Job "
                        + "ends: in a terminal it redraws the screen; otherwise it prints each new line once.",
                "",
                "Locally, with --source and --target and none of -n, --context, --kubeconfig: the logical replication that "
                        + "pgrelocate replicate left streaming (--migration, default local), read from the two servers with no pgrelocate "
                        + "process running: the replicate run, subscription and apply worker, lag in bytes and seconds, apply rate and "
                        + "drain estimate (two samples --sample apart), WAL the slot retains against max_slot_wal_keep_size, DDL on the "
                        + "source since replicate. Exit 22 when there is no such replication.",
                "",
                "Example: pgrelocate status -n shop;  pgrelocate status -n shop -w;  pgrelocate status -n shop -o json | jq .state",
                "         pgrelocate status --migration shop --source postgresql://postgres@old-db/app --target postgresql://postgres@new-db-rw/app", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:shown", " 2:-o json without a migration name",
                "13:the Kubernetes API failed or is unreachable",
                "14:the ledger belongs to another migration, or (-o json) there is none",
                "22:(--source/--target) no replication of --migration is recorded on the target"})
class StatusCommand extends KubeCommand {
    @Mixin
    MigrationOption migration;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), or json: the ledger exactly as stored.")
    String output;

    @Option(names = {"-w", "--watch"}, description = "Keep the view up to date until the running migration Job ends (Ctrl-C stops watching, not the Job).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "How often -w looks again (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Option(names = "--max-lag", paramLabel = "SIZE", defaultValue = "16MB",
            description = "With --source/--target: the lag switch would accept (default: ${DEFAULT-VALUE}).")
    String maxLag;

    @Option(names = "--sample", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.class,
            description = "With --source/--target: the time between the two lag samples the apply rate comes from (default: ${DEFAULT-VALUE}).")
    Duration sample;

    /** With --source and no Kubernetes flag: the logical replication --migration names, read from the two servers. */
    @Override
    public Integer call() {
        if (source.given() && kube.namespace == null && kube.context == null && kube.kubeconfig == null) {
            return ReplicationStatusView.show(source, target, migration.name, maxLag, sample, out(), err());
        }
        return super.call();
    }

    /** The newest lines of the running Job's log that -w shows. */
    private static final int LOG_LINES = 4;

    @Override
    int run(Cluster cluster) {
        if (!"text".equals(output) && !"json".equals(output)) {
            throw new SettingsException("-o " + output + ": text or json");
        }
        if (watch && "json".equals(output)) {
            throw new SettingsException("-w shows text: leave out -o json");
        }
        ClusterSettings settings = new ClusterSettings(cluster);
        if ("json".equals(output)) {
            out().println(ledgerJson(cluster, store(cluster, settings)));
            out().flush();
            return ExitCode.OK.code();
        }
        Screen screen = new Screen(cluster, settings);
        if (!watch) {
            screen.lines().forEach(out()::println);
            out().flush();
            return ExitCode.OK.code();
        }
        return new StatusWatch(out(), System.console() != null, interval)
                .follow(screen::lines, screen::migrationJobActive);
    }

    /** One view of the migration: the ledger, the newest Job of each template, the running migration Job's latest log lines. */
    private final class Screen {
        private final Cluster cluster;
        private final ClusterSettings settings;
        private final JobLauncher launcher;
        private final JobFollower follower;

        Screen(Cluster cluster, ClusterSettings settings) {
            this.cluster = cluster;
            this.settings = settings;
            this.launcher = new JobLauncher(cluster.client(), cluster.namespace());
            this.follower = new JobFollower(cluster.client(), cluster.namespace(), Clock.systemUTC());
        }

        List<String> lines() {
            List<String> lines = new ArrayList<>();
            try {
                LedgerStore store = store(cluster, settings);
                store.read().ifPresentOrElse(
                        l -> lines.addAll(LedgerText.lines(l, where(store), ref -> now(cluster, ref))),
                        () -> lines.add("migration " + store.migration() + ": no ledger " + where(store) + " (nothing frozen yet)"));
            } catch (SettingsException e) {
                lines.add("ledger: " + e.getMessage()); // the Jobs below are still worth seeing
            }
            lines.add("jobs:");
            for (String job : JobArgument.JOBS) {
                lines.add(String.format("  %-14s %s", job, launcher.latest(job).map(j -> describe(j, follower)).orElse("none")));
            }
            if (watch) {
                activeMigrationJob().ifPresent(j -> {
                    lines.add("log of " + j.getMetadata().getName() + ":");
                    logTail(j).forEach(l -> lines.add("  " + l));
                });
            }
            return lines;
        }

        boolean migrationJobActive() {
            return activeMigrationJob().isPresent();
        }

        private Optional<Job> activeMigrationJob() {
            return launcher.latest("migration").filter(j -> follower.resultIfFinished(j).isEmpty());
        }

        private List<String> logTail(Job job) {
            try {
                List<String> all = follower.log(job.getMetadata().getName()).lines().filter(l -> !l.isBlank()).toList();
                return all.subList(Math.max(0, all.size() - LOG_LINES), all.size());
            } catch (EngineException e) {
                return List.of("(no log yet: " + e.getMessage() + ")");
            }
        }
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
