package io.pgrelocate.jobs.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.AppLogins;
import io.pgrelocate.engine.kube.KubeApplications;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.HostRewrite;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.settings.SettingsException;

import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a Job needs from its cluster, built from its settings: the ledger of {@code PGRELOCATE_MIGRATION}
 * and the applications of {@code PGRELOCATE_WORKLOADS}, in the Job's own namespace (the one its
 * ServiceAccount token names).
 */
public final class JobCluster {
    private JobCluster() {
    }

    public static LedgerStore ledger(JobSettings s, KubernetesClient client) {
        String migration = s.migration().filter(m -> !m.isBlank()).orElseThrow(() -> new SettingsException(
                "PGRELOCATE_MIGRATION is not set: name this migration (a DNS label such as mastodon-to-cnpg); "
                        + "its ledger is the ConfigMap pgrelocate-ledger-<name>"));
        return new LedgerStore(client, namespace(client), migration);
    }

    /**
     * The applications of the switchover window (freeze, cutover with PGRELOCATE_CUTOVER_HOSTS, thaw),
     * or none when neither a migration nor workloads are configured.
     */
    public static Applications downtime(JobSettings s, Supplier<KubernetesClient> client, Consumer<String> out, Clock clock) {
        List<WorkloadRef> workloads = WorkloadRef.parseAll(s.workloads().orElse(List.of()));
        List<HostRewrite.Mapping> hosts = hosts(s);
        if (!hosts.isEmpty() && workloads.isEmpty()) {
            throw new SettingsException("PGRELOCATE_CUTOVER_HOSTS is set but PGRELOCATE_WORKLOADS is not: name the applications to cut over");
        }
        if (s.migration().isEmpty() && workloads.isEmpty()) {
            out.accept("no PGRELOCATE_MIGRATION and no PGRELOCATE_WORKLOADS: no ledger, no application is stopped (stop the writers yourself)");
            return Applications.NONE;
        }
        KubernetesClient kube = client.get();
        LedgerStore store = ledger(s, kube);
        KubeApplications apps = new KubeApplications(new AppFreezer(kube, store, out, clock), workloads, s.freezeTimeout(), s.thawTimeout(), clock);
        if (hosts.isEmpty()) {
            return apps;
        }
        if (!List.of("refuse", "paused").contains(s.gitops())) {
            throw new SettingsException("PGRELOCATE_GITOPS=" + s.gitops() + ": expected refuse or paused");
        }
        return apps.cuttingOver(new Cutover(kube, store, out, clock), new HostRewrite(hosts, store.namespace())).watchingGitOps(new KubeApplications.GitOpsPolicy(kube, store.namespace(), s.gitops().equals("paused")));
    }

    /**
     * The migration's settings with the logins of the applications the cutover moves (PGRELOCATE_CUTOVER_HOSTS),
     * resolved from their pod templates at the target address of {@code ms}: their roles are carried with their
     * passwords, their logins rehearsed in preflight and proven in the window. Unchanged without a cutover.
     */
    public static MigrationSettings withAppLogins(JobSettings s, Supplier<KubernetesClient> client, MigrationSettings ms) {
        List<HostRewrite.Mapping> hosts = hosts(s);
        if (hosts.isEmpty()) {
            return ms;
        }
        KubernetesClient kube = client.get();
        String namespace = namespace(kube);
        List<io.pgrelocate.engine.roles.AppLogin> resolved = new AppLogins(kube, namespace)
                .resolve(WorkloadRef.parseAll(s.workloads().orElse(List.of())), new HostRewrite(hosts, namespace), ms.target());
        return ms.withAppLogins(Stream.concat(ms.appLogins().stream(), resolved.stream()).toList());
    }

    private static List<HostRewrite.Mapping> hosts(JobSettings s) {
        return s.cutoverHosts().orElse(List.of()).stream().map(String::strip).filter(h -> !h.isEmpty()).map(HostRewrite.Mapping::parse).toList();
    }

    /**
     * Records a validation in the migration's ledger, which cleanup requires. Outside a migration
     * (no PGRELOCATE_MIGRATION) or without a ledger there is nothing to record into; the job says so.
     */
    public static void recordValidation(JobSettings s, Supplier<KubernetesClient> client, boolean passed, String summary,
                                        Consumer<String> out, Clock clock) {
        if (s.migration().isEmpty()) {
            out.accept("validation: no PGRELOCATE_MIGRATION, so the result is not recorded in a ledger");
            return;
        }
        LedgerStore store = ledger(s, client.get());
        if (store.read().isEmpty()) {
            out.accept("validation: no ledger " + store.name() + " (the migration job writes it), so the result is not recorded");
            return;
        }
        store.write(l -> l.validated(passed, clock.instant(), summary));
        out.accept("validation: result (" + (passed ? "passed" : "failed") + ") recorded in ConfigMap " + store.namespace() + "/" + store.name());
    }

    /**
     * Whether the migration's ledger says the applications were switched to the target (the source
     * fenced, or their settings cut over, and no rollback since): then the target is validated against
     * the switch point, not against the source's rows. Outside a migration: false.
     */
    public static boolean switched(JobSettings s, Supplier<KubernetesClient> client) {
        if (s.migration().isEmpty()) {
            return false;
        }
        return ledger(s, client.get()).read()
                .filter(l -> l.state() != Ledger.State.ROLLED_BACK && (l.fence() != null || !l.cutover().isEmpty()))
                .isPresent();
    }

    private static String namespace(KubernetesClient client) {
        String ns = client.getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }
}
