package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrelocate.engine.kube.KubeCalls;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The objects of one namespace that discovery looks at, each kind listed once, so that finding the
 * sources and their users is plain lookups. Secrets are kept as their key names only.
 */
final class NamespaceSnapshot {
    final String namespace;
    final List<GenericKubernetesResource> zalandoClusters;
    final List<StatefulSet> statefulSets;
    final List<Deployment> deployments;
    final Map<String, Service> services;
    final Map<String, ConfigMap> configMaps;
    private final Map<String, List<String>> secretKeys;

    private NamespaceSnapshot(KubernetesClient client, String namespace) {
        this.namespace = namespace;
        this.zalandoClusters = zalando(client, namespace);
        this.statefulSets = KubeCalls.run("list StatefulSets in " + namespace,
                () -> client.apps().statefulSets().inNamespace(namespace).list().getItems());
        this.deployments = KubeCalls.run("list Deployments in " + namespace,
                () -> client.apps().deployments().inNamespace(namespace).list().getItems());
        this.services = byName(KubeCalls.run("list Services in " + namespace,
                () -> client.services().inNamespace(namespace).list().getItems()));
        this.configMaps = byName(KubeCalls.run("list ConfigMaps in " + namespace,
                () -> client.configMaps().inNamespace(namespace).list().getItems()));
        this.secretKeys = KubeCalls.run("list Secrets in " + namespace,
                () -> client.secrets().inNamespace(namespace).list().getItems()).stream()
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), NamespaceSnapshot::keys, (a, b) -> a, TreeMap::new));
    }

    static NamespaceSnapshot read(KubernetesClient client, String namespace) {
        return new NamespaceSnapshot(client, namespace);
    }

    /** The key names of a Secret, empty when there is no such Secret. */
    Optional<List<String>> secretKeys(String name) {
        return Optional.ofNullable(secretKeys.get(name));
    }

    /** Every Secret's name, sorted. */
    Set<String> secretNames() {
        return secretKeys.keySet();
    }

    Optional<StatefulSet> statefulSet(String name) {
        return statefulSets.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }

    /** An in-cluster host name that resolves to the Service from any namespace. */
    String host(String service) {
        return service + "." + namespace + ".svc";
    }

    private static List<GenericKubernetesResource> zalando(KubernetesClient client, String namespace) {
        try {
            return KubeCalls.run("list Zalando postgresql resources in " + namespace,
                    () -> client.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).inNamespace(namespace).list().getItems());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof KubernetesClientException k && k.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return List.of(); // the CRD is not installed: no Zalando operator in this cluster
            }
            throw e;
        }
    }

    /** Names only: the values stay out of everything discovery returns or prints. */
    private static List<String> keys(Secret secret) {
        TreeSet<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return List.copyOf(keys);
    }

    private static <T extends HasMetadata> Map<String, T> byName(List<T> items) {
        return items.stream().collect(Collectors.toMap(i -> i.getMetadata().getName(), Function.identity(), (a, b) -> a, TreeMap::new));
    }
}
