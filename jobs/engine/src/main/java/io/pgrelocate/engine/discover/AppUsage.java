package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.pgrelocate.engine.kube.PodReferences;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which workloads use which source: a Deployment or StatefulSet uses a source when one of its settings
 * names a Service of the source as host, or when it refers to one of the source's Secrets. Database
 * hosts that are no Service of the namespace are kept as external databases.
 */
final class AppUsage {
    /** The databases' own workloads (Spilo pods, Zalando's poolers, Bitnami's StatefulSets) are not applications. */
    private static final Set<String> DATABASE_APPLICATIONS = Set.of("spilo", "db-connection-pooler");

    private record Workload(String ref, HasMetadata object, PodSpec pod) {
    }

    private final Map<String, List<String>> appsBySource = new LinkedHashMap<>();
    private final List<ExternalDatabase> external = new ArrayList<>();

    private AppUsage() {
    }

    static AppUsage scan(NamespaceSnapshot ns, List<SourceDescription> sources) {
        AppUsage usage = new AppUsage();
        Stream.concat(ns.deployments.stream().map(d -> new Workload("deployment/" + d.getMetadata().getName(), d, d.getSpec().getTemplate().getSpec())),
                        ns.statefulSets.stream().map(s -> new Workload("statefulset/" + s.getMetadata().getName(), s, PodTemplates.spec(s))))
                .filter(w -> !isDatabase(w.object()))
                .forEach(w -> usage.add(ns, sources, w));
        return usage;
    }

    List<String> appsOf(SourceDescription source) {
        return appsBySource.getOrDefault(source.name(), List.of());
    }

    List<ExternalDatabase> external() {
        return external;
    }

    private void add(NamespaceSnapshot ns, List<SourceDescription> sources, Workload w) {
        List<HostMention> hosts = PodSettings.of(w.pod(), ns.configMaps).stream()
                .flatMap(s -> HostMention.in(s.name(), s.value()).stream()).toList();
        Set<String> secrets = PodReferences.of(w.pod()).stream().filter(PodReferences.Ref::secret)
                .map(PodReferences.Ref::name).collect(Collectors.toSet());
        for (SourceDescription source : sources) {
            boolean byHost = hosts.stream().anyMatch(h -> reachesAny(h, source.endpoints().services(), ns.namespace));
            boolean bySecret = source.secretNames().stream().anyMatch(secrets::contains);
            if (byHost || bySecret) {
                appsBySource.computeIfAbsent(source.name(), k -> new ArrayList<>()).add(w.ref());
            }
        }
        List<String> known = Stream.concat(ns.services.keySet().stream(),
                sources.stream().flatMap(s -> s.endpoints().services().stream())).distinct().toList();
        hosts.stream().filter(HostMention::database).filter(h -> !reachesAny(h, known, ns.namespace))
                .map(h -> new ExternalDatabase(w.ref(), h.setting(), h.host())).distinct().forEach(external::add);
    }

    private static boolean reachesAny(HostMention host, List<String> services, String namespace) {
        return services.stream().anyMatch(s -> host.reaches(s, namespace));
    }

    private static boolean isDatabase(HasMetadata object) {
        Map<String, String> labels = Objects.requireNonNullElse(object.getMetadata().getLabels(), Map.of());
        return DATABASE_APPLICATIONS.contains(labels.getOrDefault("application", ""))
                || "postgresql".equals(labels.get(BitnamiSources.NAME_LABEL))
                || BitnamiMysqlSources.isMysql(labels);
    }
}
