package io.pgrelocate.engine.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.discover.SourceDescription.Endpoints;
import io.pgrelocate.engine.discover.SourceDescription.Storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Zalando clusters: the {@code postgresql} resource says what the operator was asked for (version,
 * volume, users, databases, parameters); its StatefulSet adds what the operator chose (image, pull
 * Secrets); the Services and credentials Secrets follow the operator's naming.
 */
final class ZalandoSources {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    static final String SECRET_SUFFIX = ".credentials.postgresql.acid.zalan.do";

    private ZalandoSources() {
    }

    static List<SourceDescription> describe(NamespaceSnapshot ns) {
        return ns.zalandoClusters.stream().map(r -> describe(ns, r)).toList();
    }

    private static SourceDescription describe(NamespaceSnapshot ns, GenericKubernetesResource resource) {
        String name = resource.getMetadata().getName();
        Object specMap = resource.getAdditionalProperties().get("spec");
        JsonNode spec = specMap == null ? MissingNode.getInstance() : SERIALIZATION.convertValue(specMap, JsonNode.class);
        Optional<StatefulSet> sts = ns.statefulSet(name);
        Optional<Container> container = sts.flatMap(s -> PodTemplates.postgres(s, "postgres"));
        List<String> notes = new ArrayList<>();

        String image = text(spec.path("dockerImage")).or(() -> container.map(Container::getImage)).orElse(null);
        Integer major = text(spec.path("postgresql").path("version")).filter(v -> v.matches("\\d+")).map(Integer::valueOf).orElse(null);
        if (major == null) {
            notes.add("PostgreSQL major unknown: spec.postgresql.version is not set; check with SHOW server_version");
        }
        if (sts.isEmpty()) {
            notes.add("StatefulSet " + name + " not found: is the operator running?");
        }
        List<String> users = names(spec.path("users"));
        ResourceRequirements resources = spec.has("resources")
                ? SERIALIZATION.convertValue(spec.get("resources"), ResourceRequirements.class)
                : container.map(Container::getResources).orElse(null);
        List<Toleration> tolerations = Arrays.asList(SERIALIZATION.convertValue(spec.path("tolerations").isArray()
                ? spec.get("tolerations") : List.of(), Toleration[].class));
        var affinity = spec.has("nodeAffinity")
                ? new AffinityBuilder().withNodeAffinity(SERIALIZATION.convertValue(spec.get("nodeAffinity"), NodeAffinity.class)).build()
                : null;
        return new SourceDescription(Flavour.ZALANDO, name, ns.namespace, image,
                sts.map(PodTemplates::pullSecrets).orElse(List.of()),
                new Storage(text(spec.path("volume").path("size")).orElse(null), text(spec.path("volume").path("storageClass")).orElse(null)),
                resources, tolerations, affinity, major, strings(spec.path("postgresql").path("parameters")), users,
                databases(spec), secrets(ns, name, users), endpoints(ns, name),
                spec.path("numberOfInstances").isNumber() ? spec.get("numberOfInstances").asInt() : null, List.of(), notes);
    }

    /**
     * Every credentials Secret of the cluster: first those of the spec's users in the spec's order (the
     * applications' own), then the operator's (postgres, standby, prepared databases' roles).
     */
    private static List<CredentialsSecret> secrets(NamespaceSnapshot ns, String cluster, List<String> users) {
        String suffix = "." + cluster + SECRET_SUFFIX;
        Map<String, String> userBySecret = new LinkedHashMap<>();
        users.forEach(u -> userBySecret.put(Discovery.zalandoCredentialsSecret(u, cluster), u));
        ns.secretNames().stream().filter(s -> s.endsWith(suffix))
                .forEach(s -> userBySecret.putIfAbsent(s, s.substring(0, s.length() - suffix.length())));
        List<CredentialsSecret> secrets = new ArrayList<>();
        userBySecret.forEach((secret, user) -> ns.secretKeys(secret).ifPresent(keys -> secrets.add(new CredentialsSecret(secret, user, keys))));
        return secrets;
    }

    private static Endpoints endpoints(NamespaceSnapshot ns, String cluster) {
        List<String> services = Stream.of(cluster, cluster + "-repl", cluster + "-pooler", cluster + "-pooler-repl")
                .filter(s -> s.equals(cluster) || ns.services.containsKey(s)).toList();
        String repl = cluster + "-repl";
        return new Endpoints(ns.host(cluster), services.contains(repl) ? ns.host(repl) : null, services);
    }

    /** spec.databases (name → owner), then spec.preparedDatabases, whose owner role the operator names {@code <db>_owner}. */
    private static Map<String, String> databases(JsonNode spec) {
        Map<String, String> databases = new LinkedHashMap<>(strings(spec.path("databases")));
        names(spec.path("preparedDatabases")).forEach(db -> databases.putIfAbsent(db, db + "_owner"));
        return databases;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }
}
