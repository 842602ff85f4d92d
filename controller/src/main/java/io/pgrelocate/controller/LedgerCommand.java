package io.pgrelocate.controller;

import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.LedgerStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** freeze, thaw and rollback: the engine's AppFreezer on the migration's replica ledger, with a dry run. */
abstract class LedgerCommand extends KubeCommand {
    @Mixin
    MigrationOption migration;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "How long to wait for the pods to go (freeze) or be ready (thaw, rollback); default: "
                    + "PGRELOCATE_FREEZE_TIMEOUT or PGRELOCATE_THAW_TIMEOUT in ConfigMap pgrelocate-settings, else 5m or 10m, as the Jobs wait.")
    Duration timeout;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    /** The cluster this run talks to, for the commands that need more than the freezer. */
    Cluster cluster;

    abstract int run(AppFreezer freezer, ClusterSettings settings);

    /** The setting that holds this command's timeout in the ConfigMap: waiting for readiness, as thaw does. */
    String timeoutSetting() {
        return ClusterSettings.THAW_TIMEOUT;
    }

    /** The Jobs' default for that setting. */
    String timeoutDefault() {
        return "10m";
    }

    Duration timeout(ClusterSettings settings) {
        return settings.timeout(timeout, timeoutSetting(), timeoutDefault());
    }

    @Override
    final int run(Cluster cluster) {
        this.cluster = cluster;
        ClusterSettings settings = new ClusterSettings(cluster);
        PrintWriter out = out();
        LedgerStore store = new LedgerStore(cluster.client(), cluster.namespace(), migration.resolve(settings));
        return run(new AppFreezer(cluster.client(), store, printer(), Clock.systemUTC()), settings);
    }

    /** Progress lines to stdout as they come. */
    Consumer<String> printer() {
        PrintWriter out = out();
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    int printDryRun(List<String> plan) {
        plan.forEach(line -> out().println("dry run: " + line));
        out().println("dry run: nothing was changed");
        out().flush();
        return 0;
    }
}
