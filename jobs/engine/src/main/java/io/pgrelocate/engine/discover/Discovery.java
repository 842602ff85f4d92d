package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The PostgreSQL (and Bitnami MySQL/MariaDB) sources of one namespace, each with the applications that use it, and the external
 * databases applications there point at.
 */
public record Discovery(String namespace, List<SourceDescription> sources, List<ExternalDatabase> externalDatabases) {
    /** Zalando's resource type, given explicitly so that no API discovery call (and no RBAC for it) is needed. */
    public static final ResourceDefinitionContext ZALANDO_POSTGRESQL = new ResourceDefinitionContext.Builder()
            .withGroup("acid.zalan.do").withVersion("v1").withPlural("postgresqls").withKind("postgresql")
            .withNamespaced(true).build();

    /** The operator's Secret for a user: {@code <user>.<cluster>.credentials...}, '-' for '_' since it must be a DNS name. */
    public static String zalandoCredentialsSecret(String user, String cluster) {
        return user.replace('_', '-') + "." + cluster + ZalandoSources.SECRET_SUFFIX;
    }

    /**
     * Looks at the namespace; a namespace without a source is {@link ExitCode#NOTHING_TO_MIGRATE},
     * naming the external database its applications use, if any.
     */
    public static Discovery in(KubernetesClient client, String namespace) {
        NamespaceSnapshot ns = NamespaceSnapshot.read(client, namespace);
        List<SourceDescription> found = Stream.of(ZalandoSources.describe(ns), BitnamiSources.describe(ns),
                BitnamiMysqlSources.describe(ns)).flatMap(List::stream).toList();
        AppUsage usage = AppUsage.scan(ns, found);
        if (found.isEmpty()) {
            throw new EngineException(ExitCode.NOTHING_TO_MIGRATE, usage.external().isEmpty()
                    ? "nothing to migrate: no database source in namespace " + namespace + " (looked for Zalando postgresql "
                    + "resources and StatefulSets labelled app.kubernetes.io/name=postgresql, mysql or mariadb)"
                    : "nothing to migrate: the applications in namespace " + namespace + " use an external database, "
                    + "and no PostgreSQL runs in the namespace: " + usage.external().stream().map(ExternalDatabase::toString)
                    .collect(Collectors.joining("; ")));
        }
        return new Discovery(namespace, found.stream().map(s -> s.withApps(usage.appsOf(s))).toList(), usage.external());
    }

    /**
     * The one source a command works on: the one named, else the only one found. Several sources
     * and no name is a usage error, since guessing would migrate the wrong database.
     */
    public SourceDescription single(Optional<String> name) {
        if (name.isPresent()) {
            return sources.stream().filter(s -> s.name().equals(name.get())).findFirst()
                    .orElseThrow(() -> new EngineException(ExitCode.BAD_SETTINGS,
                            "no source " + name.get() + " in namespace " + namespace + "; found: " + candidates()));
        }
        if (sources.size() > 1) {
            throw new EngineException(ExitCode.BAD_SETTINGS, sources.size() + " sources in namespace " + namespace + ": "
                    + candidates() + "; pass --source NAME to choose one");
        }
        return sources.get(0);
    }

    private String candidates() {
        return sources.stream().map(s -> s.name() + " (" + s.flavour().label() + ")").collect(Collectors.joining(", "));
    }
}
