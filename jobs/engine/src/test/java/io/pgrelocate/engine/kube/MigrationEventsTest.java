package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A migration's phases as Events on its ledger, in order, as `kubectl describe configmap` shows them. */
@EnableKubernetesMockClient(crud = true)
class MigrationEventsTest {
    static final String NS = "apps";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void eachNewPhaseOfTheLedgerIsOneEventOnIt() {
        LedgerStore store = new LedgerStore(client, NS, "m1");
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        store.write(l -> l.moveTo(Ledger.State.FROZEN, t0));
        store.write(l -> l.phase("copied", t0.plusSeconds(5)));
        store.write(l -> l.phase("copied", t0.plusSeconds(5))); // the same phase again: no new Event
        store.write(l -> l.moveTo(Ledger.State.ROLLED_BACK, t0.plusSeconds(9)));
        store.recordFailure("pg_restore failed on public.accounts", t0.plusSeconds(9));

        ConfigMap ledger = client.configMaps().inNamespace(NS).withName(store.name()).get();
        List<Event> events = events();
        assertThat(events).extracting(Event::getReason).containsExactly("Frozen", "Copied", "RolledBack", "MigrationFailed");
        assertThat(events).extracting(Event::getType).containsExactly("Normal", "Normal", "Warning", "Warning");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("pgrelocate-ledger-m1");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(ledger.getMetadata().getUid());
            assertThat(e.getSource().getComponent()).isEqualTo("pgrelocate");
            assertThat(e.getMetadata().getLabels()).containsEntry("pgrelocate.io/migration", "m1")
                    .containsEntry("app.kubernetes.io/managed-by", "pgrelocate").containsEntry("app.kubernetes.io/name", "pgrelocate");
        });
        assertThat(events.get(3).getMessage()).isEqualTo("migration m1 failed: pg_restore failed on public.accounts");
        assertThat(ledger.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "controller")
                .containsEntry("pgrelocate.io/migration", "m1");
    }

    @Test
    void eventsAlsoGoToTheJobsPod() {
        List<String> out = new ArrayList<>();
        MigrationEvents onPod = new MigrationEvents(client, NS, "m2", "migration-1-abcde", out::add);
        onPod.phasesAdded(null, Ledger.start("m2", NS).moveTo(Ledger.State.FROZEN, Instant.parse("2026-12-01T10:00:00Z")), null);

        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("migration-1-abcde");
            assertThat(e.getReportingInstance()).isEqualTo("migration-1-abcde");
        });
        assertThat(out).isEmpty();
    }

    /** A slot at risk during the catch-up, before any ledger exists: a Warning on the Job's pod; once the ledger exists, on it too. */
    @Test
    void aReplicationSlotAtRiskIsAWarningOnThePodAndOnTheLedgerOnceItExists() {
        MigrationEvents onPod = new MigrationEvents(client, NS, "m4", "migration-4-abcde", line -> { });
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        onPod.warning(null, io.pgrelocate.engine.copy.logical.SlotHealth.EVENT_REASON, "slot pgrelocate_m4 retains 2.0 GiB of WAL", t0);
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("ReplicationSlotAtRisk");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getMessage()).isEqualTo("migration m4: slot pgrelocate_m4 retains 2.0 GiB of WAL");
        });

        LedgerStore store = new LedgerStore(client, NS, "m5");
        store.write(l -> l.moveTo(Ledger.State.FROZEN, t0));
        store.recordWarning("ReplicationSlotAtRisk", "slot pgrelocate_m5 was invalidated", t0.plusSeconds(1));
        assertThat(events()).filteredOn(e -> e.getReason().equals("ReplicationSlotAtRisk") && e.getMessage().contains("m5"))
                .singleElement().satisfies(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("pgrelocate-ledger-m5"));
    }

    @Test
    void anEventThatCannotBeWrittenIsOneWarningAndNeverAFailure() {
        List<String> out = new ArrayList<>();
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/events").andReturn(403, "{}").always();
        MigrationEvents events = new MigrationEvents(client, NS, "m3", "pod-1", out::add);
        Ledger ledger = Ledger.start("m3", NS).moveTo(Ledger.State.FROZEN, Instant.parse("2026-12-01T10:00:00Z"))
                .phase("copied", Instant.parse("2026-12-01T10:00:05Z"));

        events.phasesAdded(null, ledger, null);

        assertThat(out).singleElement().asString().startsWith("warning: cannot record Kubernetes Events (forbidden");
    }

    @Test
    void reasonsAreThePhaseInCamelCase() {
        assertThat(MigrationEvents.reason("cutover-started")).isEqualTo("CutoverStarted");
        assertThat(MigrationEvents.reason("rolled-back")).isEqualTo("RolledBack");
        assertThat(MigrationEvents.reason("pods-gone")).isEqualTo("PodsGone");
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName())).toList();
    }
}
