package io.pgrelocate.engine.cnpg;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.discover.SourceDescription;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A CNPG cluster sized like a discovered source — major, volume, resources, replicas, parameters,
 * scheduling, pull secrets, first database and its owner — and the import of that source's data.
 */
public final class ShapeFromSource {
    /** Where each flavour keeps the superuser's password: Zalando's postgres Secret, Bitnami's chart Secret. */
    private static final List<String> SUPERUSER_KEYS = List.of("password", "postgres-password");

    private ShapeFromSource() {
    }

    /** {@code major} null: the source's own major. */
    public static ClusterShape of(SourceDescription s, String name, Integer major, String namespace) {
        int m = major != null ? major : requireMajor(s);
        if (s.major() != null && m < s.major()) {
            throw new EngineException(ExitCode.VERSION, "target major " + m + " is older than source " + s.name() + "'s "
                    + s.major() + ": pg_restore cannot go back; use --postgres-major " + s.major() + " or newer");
        }
        if (s.storage() == null || s.storage().size() == null) {
            throw new SettingsException("the volume size of source " + s.name() + " is unknown: pass --storage-size");
        }
        Map.Entry<String, String> db = s.databases().entrySet().stream().findFirst().orElse(Map.entry("app", "app"));
        return new ClusterShape(name, namespace, m, Math.max(1, s.replicas() == null ? 1 : s.replicas()), s.storage().size(),
                s.storage().storageClass(), s.resources(), s.parameters(), Map.of(), s.tolerations(),
                s.affinity() == null ? null : s.affinity().getNodeAffinity(), db.getValue(), db.getKey(), List.of(),
                s.imagePullSecrets(), null);
    }

    /** The import of the source's application database, logging in as its superuser through its own Secret. */
    public static ImportSource importing(SourceDescription s, ClusterShape shape, int jobs) {
        CredentialsSecret secret = superuserSecret(s);
        String key = SUPERUSER_KEYS.stream().filter(secret.keys()::contains).findFirst().orElseThrow();
        return new ImportSource(s.endpoints().rw(), 5432, "postgres", shape.database(), secret.name(), key,
                ImportSource.Type.MICROSERVICE, List.of(shape.database()), List.of(), jobs);
    }

    private static CredentialsSecret superuserSecret(SourceDescription s) {
        List<CredentialsSecret> candidates = s.secrets().stream()
                .filter(c -> c.user() == null || c.user().equals("postgres")).toList();
        return candidates.stream().filter(c -> c.keys().stream().anyMatch(SUPERUSER_KEYS::contains)).findFirst()
                .orElseThrow(() -> new SettingsException("no Secret of source " + s.name() + " holds the superuser's password under "
                        + String.join(" or ", SUPERUSER_KEYS) + " (found: " + (candidates.isEmpty() ? "none" : candidates.stream()
                        .map(c -> c.name() + " with keys " + c.keys()).collect(Collectors.joining("; "))) + "); pass --source-secret and --source-secret-key"));
    }

    private static int requireMajor(SourceDescription s) {
        if (s.major() == null) {
            throw new SettingsException("the PostgreSQL major of source " + s.name() + " is unknown: pass --postgres-major");
        }
        return s.major();
    }
}
