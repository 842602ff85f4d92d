package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which pod templates of a namespace still read a Secret or ConfigMap — Deployments, StatefulSets,
 * DaemonSets, CronJobs and Jobs, pgrelocate's own included — so that cleanup never deletes one a pod
 * needs to start ({@code CreateContainerConfigError} otherwise). Templates that go with the old
 * database (its StatefulSet) do not count.
 */
public final class StillReferenced {
    private final KubernetesClient client;
    private final String namespace;

    public StillReferenced(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** One reference that keeps an object: {@code deployment/web reads secret/x}. */
    public record Use(String template, String object) {
        @Override
        public String toString() {
            return template + " reads " + object;
        }
    }

    /** Every template's reference to one of {@code objects} ({@code secret/x}, {@code configmap/y}), skipping {@code goingToo}. */
    public List<Use> of(Set<String> objects, Set<String> goingToo) {
        List<Use> uses = new ArrayList<>();
        scan(uses, objects, goingToo, "deployment", () -> client.apps().deployments().inNamespace(namespace).list().getItems(),
                d -> d.getSpec().getTemplate().getSpec());
        scan(uses, objects, goingToo, "statefulset", () -> client.apps().statefulSets().inNamespace(namespace).list().getItems(),
                s -> s.getSpec().getTemplate().getSpec());
        scan(uses, objects, goingToo, "daemonset", () -> client.apps().daemonSets().inNamespace(namespace).list().getItems(),
                d -> d.getSpec().getTemplate().getSpec());
        scan(uses, objects, goingToo, "cronjob", () -> client.batch().v1().cronjobs().inNamespace(namespace).list().getItems(),
                c -> c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        scan(uses, objects, goingToo, "job", () -> client.batch().v1().jobs().inNamespace(namespace).list().getItems(),
                j -> j.getSpec().getTemplate().getSpec());
        return uses;
    }

    private static <T extends HasMetadata> void scan(List<Use> uses, Set<String> objects, Set<String> goingToo, String kind,
                                                     Supplier<List<T>> list, Function<T, PodSpec> spec) {
        for (T item : KubeCalls.run("list " + kind + "s", list::get)) {
            String template = kind + "/" + item.getMetadata().getName();
            if (goingToo.contains(template) || ownedByPostgresql(item)) {
                continue;
            }
            PodReferences.of(spec.apply(item)).stream().filter(r -> !r.optional())
                    .map(r -> (r.secret() ? "secret/" : "configmap/") + r.name()).distinct().filter(objects::contains)
                    .forEach(o -> uses.add(new Use(template, o)));
        }
    }

    private static boolean ownedByPostgresql(HasMetadata o) {
        return o.getMetadata().getOwnerReferences() != null
                && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> "postgresql".equals(r.getKind()));
    }
}
