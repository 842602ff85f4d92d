package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.discover.SourceDescription.Endpoints;
import io.pgrelocate.engine.discover.SourceDescription.Storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bitnami releases: one StatefulSet {@code <fullname>} (standalone) or {@code <fullname>-primary} and
 * {@code <fullname>-read} (replication), which make one source named {@code <fullname>}. A sub-chart
 * alias only changes the fullname ({@code camunda-identity-postgresql}), so each alias is its own source.
 */
final class BitnamiSources {
    static final String NAME_LABEL = "app.kubernetes.io/name";
    private static final Pattern CONF_LINE = Pattern.compile("\\s*([A-Za-z_.]+)\\s*=\\s*'?([^'#]*?)'?\\s*(#.*)?");

    private BitnamiSources() {
    }

    static List<SourceDescription> describe(NamespaceSnapshot ns) {
        Map<String, List<StatefulSet>> byRelease = new TreeMap<>();
        ns.statefulSets.stream().filter(BitnamiSources::isBitnami)
                .forEach(s -> byRelease.computeIfAbsent(fullname(s), k -> new ArrayList<>()).add(s));
        List<SourceDescription> sources = new ArrayList<>();
        byRelease.forEach((fullname, sets) -> primary(fullname, sets).ifPresent(p -> sources.add(describe(ns, fullname, p, sets))));
        return sources;
    }

    static boolean isBitnami(StatefulSet sts) {
        var labels = sts.getMetadata().getLabels();
        return labels != null && "postgresql".equals(labels.get(NAME_LABEL));
    }

    private static String fullname(StatefulSet sts) {
        return sts.getMetadata().getName().replaceFirst("-(primary|read)$", "");
    }

    /** The StatefulSet that takes writes; read replicas alone are not a source. */
    private static Optional<StatefulSet> primary(String fullname, List<StatefulSet> sets) {
        return sets.stream().filter(s -> !s.getMetadata().getName().equals(fullname + "-read")).findFirst();
    }

    private static SourceDescription describe(NamespaceSnapshot ns, String fullname, StatefulSet primary, List<StatefulSet> sets) {
        Optional<Container> container = PodTemplates.postgres(primary, "postgresql");
        Map<String, String> env = plainEnv(container);
        String image = container.map(Container::getImage).orElse(null);
        List<String> notes = new ArrayList<>();
        Integer major = ImageMajor.of(image).orElse(null);
        if (major == null) {
            notes.add(ImageMajor.unknown(image));
        }
        String user = first(env, "POSTGRES_USER", "POSTGRESQL_USERNAME");
        List<String> users = Stream.of(user, "postgres").filter(Objects::nonNull).distinct().toList();
        Map<String, String> databases = new LinkedHashMap<>();
        Optional.ofNullable(first(env, "POSTGRES_DATABASE", "POSTGRES_DB", "POSTGRESQL_DATABASE")).ifPresent(db -> databases.put(db, user));
        List<CredentialsSecret> secrets = secrets(ns, fullname, container, notes);
        PodSpec pod = PodTemplates.spec(primary);
        return new SourceDescription(Flavour.BITNAMI, fullname, ns.namespace, image, PodTemplates.pullSecrets(primary),
                storage(primary), container.map(Container::getResources).orElse(null),
                Objects.requireNonNullElse(pod.getTolerations(), List.of()), pod.getAffinity(), major, parameters(ns, pod),
                users, databases, secrets, endpoints(ns, fullname),
                sets.stream().mapToInt(s -> Objects.requireNonNullElse(s.getSpec().getReplicas(), 1)).sum(), List.of(), notes);
    }

    /**
     * The Secrets the container takes its passwords from: the chart's own {@code <fullname>} or the
     * one named by {@code auth.existingSecret}, which only the env's secretKeyRefs reveal.
     */
    static List<CredentialsSecret> secrets(NamespaceSnapshot ns, String fullname, Optional<Container> container, List<String> notes) {
        List<String> names = container.map(Container::getEnv).orElse(List.of()).stream()
                .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                .map(v -> v.getValueFrom().getSecretKeyRef().getName()).distinct().toList();
        if (names.isEmpty()) {
            names = List.of(fullname);
        }
        List<CredentialsSecret> secrets = new ArrayList<>();
        for (String name : names) {
            ns.secretKeys(name).ifPresentOrElse(keys -> secrets.add(new CredentialsSecret(name, null, keys)),
                    () -> notes.add("Secret " + name + " not found"));
        }
        return secrets;
    }

    static Storage storage(StatefulSet sts) {
        List<PersistentVolumeClaim> claims = Objects.requireNonNullElse(sts.getSpec().getVolumeClaimTemplates(), List.of());
        return claims.stream().filter(c -> "data".equals(c.getMetadata().getName())).findFirst().or(() -> claims.stream().findFirst())
                .map(c -> new Storage(Optional.ofNullable(c.getSpec().getResources()).map(r -> r.getRequests())
                        .map(r -> r.get("storage")).map(Quantity::toString).orElse(null), c.getSpec().getStorageClassName()))
                .orElse(new Storage(null, null)); // the chart's persistence.enabled=false: an emptyDir
    }

    private static Endpoints endpoints(NamespaceSnapshot ns, String fullname) {
        List<String> services = Stream.of("", "-hl", "-primary", "-primary-hl", "-read", "-read-hl")
                .map(suffix -> fullname + suffix).filter(ns.services::containsKey).toList();
        String rw = services.contains(fullname + "-primary") ? fullname + "-primary" : fullname;
        return new Endpoints(ns.host(rw), services.contains(fullname + "-read") ? ns.host(fullname + "-read") : null, services);
    }

    /** postgresql.conf settings from the chart's configuration ConfigMaps ({@code primary.configuration}, {@code extendedConfiguration}). */
    private static Map<String, String> parameters(NamespaceSnapshot ns, PodSpec pod) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of()).stream()
                .filter(v -> v.getConfigMap() != null).map(v -> ns.configMaps.get(v.getConfigMap().getName()))
                .filter(Objects::nonNull).map(ConfigMap::getData).filter(Objects::nonNull)
                .forEach(data -> data.forEach((file, text) -> {
                    if (file.endsWith(".conf") && !file.startsWith("pg_hba") && !file.startsWith("pg_ident")) {
                        text.lines().map(CONF_LINE::matcher).filter(Matcher::matches).forEach(m -> parameters.put(m.group(1), m.group(2)));
                    }
                }));
        return parameters;
    }

    static Map<String, String> plainEnv(Optional<Container> container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.map(Container::getEnv).orElse(List.of()).stream().filter(v -> v.getValue() != null)
                .forEach((EnvVar v) -> env.put(v.getName(), v.getValue()));
        return env;
    }

    static String first(Map<String, String> env, String... names) {
        return Stream.of(names).map(env::get).filter(v -> v != null && !v.isBlank()).findFirst().orElse(null);
    }
}
