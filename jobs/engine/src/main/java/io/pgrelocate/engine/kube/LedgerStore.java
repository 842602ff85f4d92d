package io.pgrelocate.engine.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The ledger's home: the ConfigMap {@code pgrelocate-ledger-<migration>} in the applications'
 * namespace, one JSON document under {@value #KEY}. Updates are compare-and-swap on the
 * ConfigMap's resourceVersion, so two writers never silently overwrite each other.
 */
public final class LedgerStore {
    public static final String PREFIX = "pgrelocate-ledger-";
    public static final String KEY = "ledger.json";
    public static final String MIGRATION_LABEL = "pgrelocate.io/migration";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private final KubernetesClient client;
    private final String namespace;
    private final String migration;
    private final MigrationEvents events;

    public LedgerStore(KubernetesClient client, String namespace, String migration) {
        if (migration == null || !migration.matches("[a-z0-9]([-a-z0-9]{0,43}[a-z0-9])?")) {
            throw new SettingsException("migration name '" + migration + "' must be a DNS label of at most 45 "
                    + "characters (lower case letters, digits, '-'), e.g. mastodon-to-cnpg");
        }
        this.client = client;
        this.namespace = namespace;
        this.migration = migration;
        this.events = MigrationEvents.of(client, namespace, migration);
    }

    public String name() {
        return PREFIX + migration;
    }

    public String namespace() {
        return namespace;
    }

    public String migration() {
        return migration;
    }

    /** The ledger, if this migration wrote one; refuses one that records another migration. */
    public Optional<Ledger> read() {
        return Optional.ofNullable(configMap()).map(this::parse);
    }

    /** Creates the ledger, or applies {@code change} to the stored one; a concurrent write makes it apply {@code change} again. */
    public Ledger write(UnaryOperator<Ledger> change) {
        // the ledger the last (successful) attempt changed: its new phases become Events
        java.util.concurrent.atomic.AtomicReference<Ledger> before = new java.util.concurrent.atomic.AtomicReference<>();
        ConfigMap written = KubeCalls.write(client, "write ledger " + name(), client.configMaps().inNamespace(namespace).withName(name()),
                current -> {
                    before.set(current == null ? null : parse(current));
                    return build(change.apply(current == null ? Ledger.start(migration, namespace) : before.get()), current);
                });
        Ledger next = parse(written);
        events.phasesAdded(before.get(), next, written);
        return next;
    }

    /** Records a failure with its reason as a Warning Event on the ledger (best effort). */
    public void recordFailure(String reason, java.time.Instant at) {
        events.failed(configMap(), reason, at);
    }

    /** Records a finding that stops nothing as a Warning Event, on the ledger once it exists (best effort). */
    public void recordWarning(String reason, String message, java.time.Instant at) {
        ConfigMap ledger;
        try {
            ledger = configMap();
        } catch (EngineException e) {
            ledger = null;  // a warning never fails the run: the Event goes to the pod alone
        }
        events.warning(ledger, reason, message, at);
    }

    private ConfigMap configMap() {
        return KubeCalls.run("read ledger " + name(), () -> client.configMaps().inNamespace(namespace).withName(name()).get());
    }

    private Ledger parse(ConfigMap cm) {
        String json = cm.getData() == null ? null : cm.getData().get(KEY);
        if (json == null) {
            throw new EngineException(ExitCode.LEDGER, "ConfigMap " + namespace + "/" + name() + " has no " + KEY
                    + "; it is not a pgrelocate ledger, so nothing was changed: rename the migration or remove that ConfigMap");
        }
        Ledger ledger;
        try {
            ledger = JSON.readValue(json, Ledger.class);
        } catch (JsonProcessingException e) {
            throw new EngineException(ExitCode.LEDGER, "ledger " + namespace + "/" + name() + " is not readable JSON ("
                    + e.getOriginalMessage() + "); nothing was changed", e);
        }
        if (!migration.equals(ledger.migration()) || !namespace.equals(ledger.namespace())) {
            throw new EngineException(ExitCode.LEDGER, "ledger " + namespace + "/" + name() + " records migration '"
                    + ledger.migration() + "' in namespace " + ledger.namespace() + ", not '" + migration + "' in "
                    + namespace + "; nothing was changed: check PGRELOCATE_MIGRATION / --migration");
        }
        return ledger;
    }

    private ConfigMap build(Ledger ledger, ConfigMap current) {
        String json;
        try {
            json = JSON.writeValueAsString(ledger);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ConfigMapBuilder b = current == null ? new ConfigMapBuilder().withNewMetadata().withName(name())
                .withNamespace(namespace).endMetadata() : new ConfigMapBuilder(current);
        return b.editMetadata()
                .addToLabels(Labels.of(Labels.component(), migration))
                .addToLabels("pgrelocate.io/state", ledger.state().label())
                .endMetadata()
                .withData(Map.of(KEY, json))
                .build();
    }
}
