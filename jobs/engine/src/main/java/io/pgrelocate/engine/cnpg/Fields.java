package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small helpers for building manifests as ordered maps, so the YAML reads (and diffs) the same every time. */
final class Fields {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Fields() {
    }

    /** Key/value pairs in order; null values and empty collections or maps are left out, as CNPG's defaults apply. */
    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            boolean empty = value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m && m.isEmpty();
            if (!empty) {
                map.put((String) keysAndValues[i], value);
            }
        }
        return map;
    }

    /**
     * A fabric8 model object (Toleration, ResourceRequirements…) as the plain map it serialises to, keys
     * sorted at every level: the models keep their callers' map order (resource requests, selectors).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(Object model) {
        return model == null ? null : (Map<String, Object>) sortedKeys(SERIALIZATION.convertValue(model, Map.class));
    }

    private static Object sortedKeys(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put((String) k, sortedKeys(v)));
            return new LinkedHashMap<>(sorted);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Fields::sortedKeys).toList();
        }
        return value;
    }

    static GenericKubernetesResource resource(String kind, String name, String namespace, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(CnpgCluster.API_VERSION);
        r.setKind(kind);
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(Map.of(MANAGED_BY, "pgrelocate")).build());
        r.setAdditionalProperty("spec", spec);
        return r;
    }
}
