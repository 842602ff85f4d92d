package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The typed objects of one rendered kustomization, with the look-ups the tests share. */
record Render(Path dir, List<HasMetadata> objects) {

    static final String SETTINGS = "pgrelocate-settings";
    static final String LEDGER_PREFIX = "pgrelocate-ledger-";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<Path, Render> CACHE = new ConcurrentHashMap<>();

    /** Rendered once per directory: many tests look at the same render. */
    static Render of(Path dir) {
        return CACHE.computeIfAbsent(dir, d -> new Render(d, parse(Kustomize.build(d))));
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(yaml);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return parsed == null ? List.of() : List.of((HasMetadata) parsed);
    }

    String name() {
        return ProjectLayout.display(dir);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The rendered settings ConfigMap; every kustomization must render it. */
    Map<String, String> settings() {
        return find(ConfigMap.class, SETTINGS)
                .map(ConfigMap::getData)
                .orElseThrow(() -> new AssertionError(name() + " renders no ConfigMap " + SETTINGS));
    }

    /** The name of the ConfigMap the migration job creates as its replica ledger. */
    String ledgerName() {
        return LEDGER_PREFIX + settings().get("PGRELOCATE_MIGRATION");
    }

    CronJob cronJob(String name) {
        return find(CronJob.class, name).orElseThrow(() -> new AssertionError(name() + " renders no CronJob " + name));
    }

    static PodSpec podSpec(CronJob cronJob) {
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    /** The one container of a job template. */
    static Container container(CronJob cronJob) {
        List<Container> containers = podSpec(cronJob).getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(cronJob.getMetadata().getName() + " has " + containers.size() + " containers, expected 1");
        }
        return containers.get(0);
    }
}
