package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The migration's story as Kubernetes Events on its ledger ConfigMap (and on the Job's pod when
 * the Job runs in one, named by {@code POD_NAME} from the downward API), so that
 * {@code kubectl get events} and {@code kubectl describe configmap pgrelocate-ledger-<m>} tell it.
 * Each new phase of the ledger is one Event whose reason is the phase in CamelCase
 * ({@code rolled-back} → {@code RolledBack}). Recording is best effort: an Event that cannot be
 * written is said once on the log and never fails the migration.
 */
public final class MigrationEvents {
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final KubernetesClient client;
    private final String namespace;
    private final String migration;
    private final String pod;
    private final Consumer<String> out;
    private final java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean warned;

    public MigrationEvents(KubernetesClient client, String namespace, String migration, String pod, Consumer<String> out) {
        this.client = client;
        this.namespace = namespace;
        this.migration = migration;
        this.pod = pod == null || pod.isBlank() ? null : pod;
        this.out = out;
    }

    /** Events of this process, also on its pod when {@code POD_NAME} names it; warnings to stderr. */
    static MigrationEvents of(KubernetesClient client, String namespace, String migration) {
        return new MigrationEvents(client, namespace, migration, System.getenv("POD_NAME"), System.err::println);
    }

    /** One Event per phase that {@code after} has and {@code before} had not. */
    void phasesAdded(Ledger before, Ledger after, ConfigMap ledger) {
        Map<String, Instant> old = before == null ? Map.of() : before.phases();
        after.phases().forEach((phase, at) -> {
            if (!at.equals(old.get(phase))) {
                boolean bad = phase.equals(Ledger.State.ROLLED_BACK.label()) || phase.contains("fail");
                record(ledger, reason(phase), "migration " + migration + ": " + phase + " (state " + after.state().label() + ")", bad, at);
            }
        });
    }

    /** A failure with its reason, as a Warning. */
    public void failed(ConfigMap ledger, String message, Instant at) {
        record(ledger, "MigrationFailed", "migration " + migration + " failed: " + message, true, at);
    }

    /** A finding that stops nothing (e.g. a replication slot at risk), as a Warning; {@code ledger} null: on the pod only. */
    public void warning(ConfigMap ledger, String reason, String message, Instant at) {
        record(ledger, reason, "migration " + migration + ": " + message, true, at);
    }

    /** {@code cutover-started} → {@code CutoverStarted}. */
    static String reason(String phase) {
        StringBuilder sb = new StringBuilder();
        for (String part : phase.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return sb.toString();
    }

    private void record(ConfigMap ledger, String reason, String message, boolean warning, Instant at) {
        List<ObjectReference> about = new ArrayList<>();
        if (ledger != null) {
            about.add(new ObjectReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withNamespace(namespace)
                    .withName(ledger.getMetadata().getName()).withUid(ledger.getMetadata().getUid()).build());
        }
        if (pod != null) {
            about.add(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(namespace).withName(pod).build());
        }
        for (ObjectReference object : about) {
            Event e = new EventBuilder().withNewMetadata()
                    .withName(object.getName() + "." + Long.toHexString(at.getEpochSecond() * 1_000_000_000L + at.getNano())
                            + Integer.toHexString(sequence.incrementAndGet()))
                    .withNamespace(namespace).withLabels(Labels.of(Labels.component(), migration)).endMetadata()
                    .withInvolvedObject(object).withReason(reason).withMessage(message).withType(warning ? "Warning" : "Normal")
                    .withNewSource().withComponent(Labels.PGRELOCATE).endSource()
                    .withReportingComponent(Labels.PGRELOCATE).withReportingInstance(pod == null ? "pgrelocate-cli" : pod)
                    .withAction(reason).withEventTime(new MicroTime(EVENT_TIME.format(at)))
                    .withFirstTimestamp(at.toString()).withLastTimestamp(at.toString()).withCount(1).build();
            try {
                client.v1().events().inNamespace(namespace).resource(e).create();
            } catch (KubernetesClientException ex) {
                if (!warned) {
                    warned = true;
                    out.accept("warning: cannot record Kubernetes Events (" + KubeCalls.reason(ex) + "); the migration goes on");
                }
            }
        }
    }
}
