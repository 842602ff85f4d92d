package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.discover.SourceDescription.Endpoints;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Bitnami's mysql and mariadb releases: one StatefulSet {@code <fullname>} (standalone) or
 * {@code <fullname>-primary} and {@code <fullname>-secondary} (replication), labelled
 * app.kubernetes.io/name=mysql|mariadb, which make one source named {@code <fullname>}
 * ({@code <release>-mysql} unless fullnameOverride). They are sources for {@code migrate --source mysql://…}.
 */
final class BitnamiMysqlSources {
    static final Set<String> NAMES = Set.of("mysql", "mariadb");

    private BitnamiMysqlSources() {
    }

    static List<SourceDescription> describe(NamespaceSnapshot ns) {
        Map<String, List<StatefulSet>> byRelease = new TreeMap<>();
        ns.statefulSets.stream().filter(BitnamiMysqlSources::isMysql)
                .forEach(s -> byRelease.computeIfAbsent(fullname(s), k -> new ArrayList<>()).add(s));
        List<SourceDescription> sources = new ArrayList<>();
        byRelease.forEach((fullname, sets) -> sets.stream().filter(s -> !s.getMetadata().getName().equals(fullname + "-secondary"))
                .findFirst().ifPresent(p -> sources.add(describe(ns, fullname, p, sets))));
        return sources;
    }

    static boolean isMysql(StatefulSet sts) {
        return isMysql(sts.getMetadata().getLabels());
    }

    static boolean isMysql(Map<String, String> labels) {
        return labels != null && NAMES.contains(labels.getOrDefault(BitnamiSources.NAME_LABEL, ""));
    }

    private static String fullname(StatefulSet sts) {
        return sts.getMetadata().getName().replaceFirst("-(primary|secondary)$", "");
    }

    private static SourceDescription describe(NamespaceSnapshot ns, String fullname, StatefulSet primary, List<StatefulSet> sets) {
        String kind = primary.getMetadata().getLabels().get(BitnamiSources.NAME_LABEL);
        Optional<Container> container = PodTemplates.postgres(primary, kind);
        Map<String, String> env = BitnamiSources.plainEnv(container);
        String image = container.map(Container::getImage).orElse(null);
        String prefix = kind.equals("mariadb") ? "MARIADB_" : "MYSQL_";
        String user = BitnamiSources.first(env, prefix + "USER");
        List<String> users = Stream.of(user, "root").filter(Objects::nonNull).distinct().toList();
        Map<String, String> databases = new LinkedHashMap<>();
        Optional.ofNullable(BitnamiSources.first(env, prefix + "DATABASE")).ifPresent(db -> databases.put(db, user));
        List<String> notes = new ArrayList<>();
        List<CredentialsSecret> secrets = BitnamiSources.secrets(ns, fullname, container, notes);
        Endpoints endpoints = endpoints(ns, fullname);
        notes.add(kind + " source (" + image + "): migrate --source " + (kind.equals("mariadb") ? "mariadb" : "mysql") + "://"
                + Objects.requireNonNullElse(user, "root") + "@" + endpoints.rw() + ":3306/"
                + databases.keySet().stream().findFirst().orElse("DATABASE"));
        PodSpec pod = PodTemplates.spec(primary);
        return new SourceDescription(kind.equals("mariadb") ? Flavour.BITNAMI_MARIADB : Flavour.BITNAMI_MYSQL, fullname, ns.namespace,
                image, PodTemplates.pullSecrets(primary), BitnamiSources.storage(primary),
                container.map(Container::getResources).orElse(null), Objects.requireNonNullElse(pod.getTolerations(), List.of()),
                pod.getAffinity(), null, Map.of(), users, databases, secrets, endpoints,
                sets.stream().mapToInt(s -> Objects.requireNonNullElse(s.getSpec().getReplicas(), 1)).sum(), List.of(), notes);
    }

    private static Endpoints endpoints(NamespaceSnapshot ns, String fullname) {
        List<String> services = Stream.of("", "-headless", "-primary", "-primary-headless", "-secondary", "-secondary-headless")
                .map(suffix -> fullname + suffix).filter(ns.services::containsKey).toList();
        String rw = services.contains(fullname + "-primary") ? fullname + "-primary" : fullname;
        return new Endpoints(ns.host(rw), services.contains(fullname + "-secondary") ? ns.host(fullname + "-secondary") : null, services);
    }
}
