package io.pgrelocate.engine.cleanup;

import io.pgrelocate.engine.kube.PodReferences;
import io.pgrelocate.engine.kube.StillReferenced;
import io.pgrelocate.engine.kube.OldDatabase;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.KubeCalls;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.discover.Discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Removes the old database once the ledger proves it is no longer needed: a completed migration at
 * least N days old, validated after it completed. It deletes only the old database's own objects —
 * the Zalando {@code postgresql} resource or the Bitnami StatefulSet, their PVCs, Services and
 * Secrets — and only when the confirmation repeats the database's name; otherwise it lists them.
 */
public final class SourceCleanup {
    private static final List<String> ZALANDO_SERVICES = List.of("", "-repl", "-config", "-pooler", "-pooler-repl");
    private static final List<String> ZALANDO_SYSTEM_USERS = List.of("postgres", "standby", "pooler");

    private final KubernetesClient client;
    private final LedgerStore store;
    private final Consumer<String> out;
    private final Clock clock;

    public SourceCleanup(KubernetesClient client, LedgerStore store, Consumer<String> out, Clock clock) {
        this.client = client;
        this.store = store;
        this.out = out;
        this.clock = clock;
    }

    /** One object to delete, as kubectl names it ({@code secret/x}); {@code maybe} when its existence was not read. */
    public record Deletion(String kind, String name, boolean maybe) {
        @Override
        public String toString() {
            return kind + "/" + name + (maybe ? " (if it exists)" : "");
        }
    }

    /** Refuses unless the ledger shows a completed, validated migration at least {@code minAge} old. */
    public Ledger gate(Duration minAge) {
        Ledger l = store.read().orElseThrow(() -> refuse("no ledger " + store.name() + ": cleanup only runs after a migration the ledger records as completed"));
        if (l.state() != Ledger.State.COMPLETED && l.state() != Ledger.State.CUT_OVER) {
            throw refuse("migration '" + l.migration() + "' is " + l.state().label() + ", not completed");
        }
        Instant completed = l.phaseTime(Ledger.State.COMPLETED).or(() -> l.phaseTime(Ledger.State.CUT_OVER))
                .orElseThrow(() -> refuse("the ledger has no completion time"));
        Instant earliest = completed.plus(minAge);
        if (clock.instant().isBefore(earliest)) {
            throw refuse("migration '" + l.migration() + "' completed at " + completed + "; cleanup waits "
                    + minAge.toDays() + " days (PGRELOCATE_CLEANUP_MIN_AGE_DAYS): not before " + earliest);
        }
        if (l.validation() == null || !l.validation().passed() || l.validation().at().isBefore(completed)) {
            throw refuse("no passed validation after the migration completed at " + completed + ": run the validation job first");
        }
        return l;
    }

    /** Exactly what a confirmed run deletes, in deletion order. */
    public List<Deletion> plan(OldDatabase db) {
        return db.flavour() == OldDatabase.Flavour.ZALANDO ? zalando(db.name()) : bitnami(db.name());
    }

    /** Deletes the plan when {@code confirm} repeats the database's name; otherwise only prints it. */
    public List<Deletion> run(OldDatabase db, Duration minAge, Optional<String> confirm) {
        gate(minAge);
        List<Deletion> plan = plan(db);
        refuseWhatIsStillRead(plan);
        boolean confirmed = confirm.filter(db.name()::equals).isPresent();
        plan.forEach(d -> out.accept((confirmed ? "cleanup: deleting " : "dry run: would delete ") + d));
        if (!confirmed) {
            out.accept("dry run: nothing was deleted; set PGRELOCATE_CLEANUP_CONFIRM=" + db.name() + " to delete these objects");
            return plan;
        }
        for (Deletion d : plan) {
            KubeCalls.run("delete " + d, () -> resource(d).delete());
        }
        store.write(l -> l.phase("cleaned-up", clock.instant()));
        out.accept("cleanup: " + plan.size() + " object(s) of " + db + " deleted");
        return plan;
    }

    /** A Secret or ConfigMap a pod template reads stays: deleting it would keep that pod from ever starting again. */
    private void refuseWhatIsStillRead(List<Deletion> plan) {
        Set<String> objects = new LinkedHashSet<>();
        Set<String> goingToo = new LinkedHashSet<>();
        plan.forEach(d -> {
            if (d.kind().equals("secret") || d.kind().equals("configmap")) {
                objects.add(d.kind() + "/" + d.name());
            } else {
                goingToo.add(d.kind() + "/" + d.name());
            }
        });
        List<StillReferenced.Use> uses = new StillReferenced(client, store.namespace()).of(objects, goingToo);
        if (!uses.isEmpty()) {
            throw refuse("still referenced by a pod template: " + String.join("; ", uses.stream().map(Object::toString).toList())
                    + " (a new pod would fail with CreateContainerConfigError): cut those over first (the migration Job adopts the "
                    + "old database's Secrets it cuts over) or point them elsewhere");
        }
    }

    private List<Deletion> zalando(String cluster) {
        GenericKubernetesResource pg = KubeCalls.run("read postgresql " + cluster,
                () -> client.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).inNamespace(store.namespace()).withName(cluster).get());
        if (pg == null) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "no postgresql " + cluster + " in namespace " + store.namespace()
                    + "; nothing was deleted: check PGRELOCATE_CLEANUP_SOURCE");
        }
        List<Deletion> plan = new ArrayList<>();
        plan.add(new Deletion("postgresql", cluster, false));
        pvcs(Map.of("application", "spilo", "cluster-name", cluster)).forEach(n -> plan.add(new Deletion("persistentvolumeclaim", n, false)));
        Set<String> serviceNames = new LinkedHashSet<>();
        ZALANDO_SERVICES.forEach(s -> serviceNames.add(cluster + s));
        services().stream().map(s -> s.getMetadata().getName()).filter(serviceNames::contains)
                .forEach(n -> plan.add(new Deletion("service", n, false)));
        Set<String> users = new LinkedHashSet<>(ZALANDO_SYSTEM_USERS);
        Object specUsers = pg.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec ? spec.get("users") : null;
        if (specUsers instanceof Map<?, ?> m) {
            m.keySet().forEach(u -> users.add(String.valueOf(u)));
        }
        // Secret names follow the operator's pattern; deleting by name means the job never reads a Secret.
        users.forEach(u -> plan.add(new Deletion("secret", Discovery.zalandoCredentialsSecret(u, cluster), true)));
        return plan;
    }

    private List<Deletion> bitnami(String statefulSet) {
        StatefulSet sts = KubeCalls.run("read StatefulSet " + statefulSet,
                () -> client.apps().statefulSets().inNamespace(store.namespace()).withName(statefulSet).get());
        Map<String, String> labels = sts == null ? Map.of() : Optional.ofNullable(sts.getMetadata().getLabels()).orElse(Map.of());
        if (sts == null || !"postgresql".equals(labels.get("app.kubernetes.io/name"))) {
            throw new EngineException(ExitCode.BAD_SETTINGS, (sts == null ? "no StatefulSet " : "StatefulSet ") + statefulSet
                    + (sts == null ? " in namespace " + store.namespace() : " is not a Bitnami PostgreSQL (label app.kubernetes.io/name=postgresql)")
                    + "; nothing was deleted: check PGRELOCATE_CLEANUP_SOURCE");
        }
        List<Deletion> plan = new ArrayList<>();
        plan.add(new Deletion("statefulset", statefulSet, false));
        Set<String> claimPrefixes = new LinkedHashSet<>();
        if (sts.getSpec().getVolumeClaimTemplates() != null) {
            sts.getSpec().getVolumeClaimTemplates().forEach(t -> claimPrefixes.add(t.getMetadata().getName() + "-" + statefulSet + "-"));
        }
        pvcs(Map.of()).stream().filter(n -> claimPrefixes.stream().anyMatch(p -> n.startsWith(p) && n.substring(p.length()).matches("\\d+")))
                .forEach(n -> plan.add(new Deletion("persistentvolumeclaim", n, false)));
        Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
        services().stream().filter(s -> s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && podLabels.entrySet().containsAll(s.getSpec().getSelector().entrySet())
                        && s.getMetadata().getName().startsWith(statefulSet))
                .forEach(s -> plan.add(new Deletion("service", s.getMetadata().getName(), false)));
        // Only the chart's own Secrets (named after the StatefulSet): an existingSecret may be shared with the apps.
        PodReferences.of(sts.getSpec().getTemplate().getSpec()).stream().filter(PodReferences.Ref::secret)
                .map(PodReferences.Ref::name).distinct()
                .forEach(n -> {
                    if (n.startsWith(statefulSet)) {
                        plan.add(new Deletion("secret", n, true));
                    } else {
                        out.accept("cleanup: keeping secret/" + n + ": not created by the chart, it may be shared; delete it yourself if unused");
                    }
                });
        return plan;
    }

    private List<String> pvcs(Map<String, String> labels) {
        return KubeCalls.run("list PersistentVolumeClaims", () -> client.persistentVolumeClaims().inNamespace(store.namespace())
                .withLabels(labels).list().getItems()).stream().map(PersistentVolumeClaim::getMetadata).map(m -> m.getName()).sorted().toList();
    }

    private List<Service> services() {
        return KubeCalls.run("list Services", () -> client.services().inNamespace(store.namespace()).list().getItems());
    }

    private Resource<?> resource(Deletion d) {
        String ns = store.namespace();
        return switch (d.kind()) {
            case "postgresql" -> client.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).inNamespace(ns).withName(d.name());
            case "statefulset" -> client.apps().statefulSets().inNamespace(ns).withName(d.name());
            case "persistentvolumeclaim" -> client.persistentVolumeClaims().inNamespace(ns).withName(d.name());
            case "service" -> client.services().inNamespace(ns).withName(d.name());
            case "secret" -> client.secrets().inNamespace(ns).withName(d.name());
            default -> throw new IllegalArgumentException(d.kind());
        };
    }

    private static EngineException refuse(String why) {
        return new EngineException(ExitCode.LEDGER, why + "; nothing was deleted");
    }
}
