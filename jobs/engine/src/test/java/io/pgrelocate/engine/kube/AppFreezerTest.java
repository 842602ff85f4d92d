package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgrelocate.engine.testing.FakeWorkloadController.deployment;
import static io.pgrelocate.engine.testing.FakeWorkloadController.statefulSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class AppFreezerTest {
    static final String NS = "apps";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final List<WorkloadRef> APPS = WorkloadRef.parseAll(List.of("deployment/web", "statefulset/sidekiq"));

    KubernetesMockServer server;
    KubernetesClient client;
    FakeWorkloadController controller;
    final List<String> out = new ArrayList<>();

    @BeforeEach
    void apps() {
        client.apps().deployments().inNamespace(NS).resource(deployment("web", 3)).create();
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("sidekiq", 2)).create();
        controller = new FakeWorkloadController(client, NS);
        await().until(() -> pods("web") == 3 && pods("sidekiq") == 2);
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    @Test
    void freezeRecordsReplicasStopsEveryPodAndThawBringsThemBack() {
        Ledger frozen = freezer("m1").freeze(APPS, TIMEOUT);

        assertThat(frozen.state()).isEqualTo(Ledger.State.FROZEN);
        assertThat(frozen.workloads()).extracting(Ledger.Entry::name, Ledger.Entry::replicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web", 3), org.assertj.core.groups.Tuple.tuple("sidekiq", 2));
        assertThat(replicas("web")).isZero();
        assertThat(pods("web") + pods("sidekiq")).isZero();
        assertThat(stored("m1").phases()).containsKeys("frozen", "pods-gone");

        Ledger thawed = freezer("m1").thaw(TIMEOUT, Ledger.State.THAWED);

        assertThat(thawed.state()).isEqualTo(Ledger.State.THAWED);
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("sidekiq").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(pods("web")).isEqualTo(3);
        assertThat(out).contains("freeze: deployment/web 3 → 0", "thaw: statefulset/sidekiq → 2");
    }

    @Test
    void theLedgerIsAConfigMapThatNamesTheMigration() {
        freezer("m1").freeze(APPS, TIMEOUT);

        var cm = client.configMaps().inNamespace(NS).withName("pgrelocate-ledger-m1").get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("pgrelocate.io/migration", "m1").containsEntry("pgrelocate.io/state", "frozen");
        assertThat(cm.getData().get("ledger.json")).contains("\"migration\" : \"m1\"", "\"replicas\" : 3", "\"name\" : \"web\"");
    }

    @Test
    void aRerunAfterACrashKeepsTheRecordedCountsInsteadOfTheZeros() {
        freezer("m1").freeze(APPS, TIMEOUT);
        // the job died here; the apps are at 0 and the ledger says 3 and 2

        assertThat(freezer("m1").check(APPS)).contains("deployment/web: record 3 replica(s), scale 0 → 0 (kept the count recorded by an earlier run)");
        Ledger again = freezer("m1").freeze(APPS, TIMEOUT);

        assertThat(again.entry(APPS.get(0)).orElseThrow().replicas()).isEqualTo(3);
        assertThat(again.entry(APPS.get(1)).orElseThrow().replicas()).isEqualTo(2);
        freezer("m1").thaw(TIMEOUT, Ledger.State.THAWED);
        assertThat(replicas("web")).isEqualTo(3);
    }

    @Test
    void rollbackFromAnotherMachineAfterACrashBetweenFreezeAndThaw() {
        freezer("m1").freeze(APPS, TIMEOUT);
        controller.close();
        // a fresh client stands for another machine: all it has is the ledger in the cluster
        try (KubernetesClient other = server.createClient(); var restarted = new FakeWorkloadController(other, NS)) {
            Ledger rolledBack = new AppFreezer(other, new LedgerStore(other, NS, "m1"), out::add, Clock.systemUTC())
                    .thaw(TIMEOUT, Ledger.State.ROLLED_BACK);

            assertThat(rolledBack.state()).isEqualTo(Ledger.State.ROLLED_BACK);
            assertThat(replicas("web")).isEqualTo(3);
            assertThat(pods("sidekiq")).isEqualTo(2);
        }
    }

    @Test
    void aWorkloadAtZeroStaysAtZero() {
        client.apps().deployments().inNamespace(NS).resource(deployment("batch", 0)).create();
        List<WorkloadRef> refs = WorkloadRef.parseAll(List.of("deployment/web", "deployment/batch"));

        freezer("m1").freeze(refs, TIMEOUT);
        freezer("m1").thaw(TIMEOUT, Ledger.State.THAWED);

        assertThat(replicas("batch")).isZero();
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(out).contains("freeze: deployment/batch 0 → 0 (recorded at 0, stays at 0)");
    }

    @Test
    void anUnknownWorkloadIsRefusedBeforeAnythingIsScaled() {
        List<WorkloadRef> refs = WorkloadRef.parseAll(List.of("deployment/web", "deployment/wbe"));

        assertThatThrownBy(() -> freezer("m1").check(refs)).isInstanceOf(EngineException.class)
                .hasMessage("deployment/wbe not found in namespace apps; nothing was changed: check PGRELOCATE_WORKLOADS / --workload")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.BAD_SETTINGS);
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(client.configMaps().inNamespace(NS).list().getItems()).isEmpty();
    }

    @Test
    void aLedgerThatRecordsAnotherMigrationIsRefused() {
        freezer("m1").freeze(APPS.subList(0, 1), TIMEOUT);
        freezer("m1").thaw(TIMEOUT, Ledger.State.ROLLED_BACK);
        // someone copied m1's ledger under m2's name
        var copy = client.configMaps().inNamespace(NS).withName("pgrelocate-ledger-m1").get();
        copy.getMetadata().setName("pgrelocate-ledger-m2");
        copy.getMetadata().setResourceVersion(null);
        client.configMaps().inNamespace(NS).resource(copy).create();

        assertThatThrownBy(() -> freezer("m2").check(APPS)).isInstanceOf(EngineException.class)
                .hasMessageContaining("records migration 'm1'").hasMessageContaining("nothing was changed")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.LEDGER);
        assertThat(replicas("web")).isEqualTo(3);
    }

    @Test
    void aCompletedMigrationIsNotRunAgain() {
        freezer("m1").freeze(APPS, TIMEOUT);
        freezer("m1").thaw(TIMEOUT, Ledger.State.THAWED);

        assertThatThrownBy(() -> freezer("m1").check(APPS)).hasMessageContaining("migration 'm1' is already thawed")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.LEDGER);
    }

    @Test
    void podsThatDoNotGoAwayFailTheFreezeWithTheirCount() {
        controller.stall();

        assertThatThrownBy(() -> freezer("m1").freeze(APPS, Duration.ofMillis(500)))
                .hasMessage("deployment/web still has 3 pod(s) after 0s (PGRELOCATE_FREEZE_TIMEOUT); the copy did not start");
        controller.resume();
        freezer("m1").thaw(TIMEOUT, Ledger.State.ROLLED_BACK);
        assertThat(replicas("web")).isEqualTo(3);
    }

    @Test
    void appsThatDoNotComeBackAreReportedAndTheLedgerKeepsTheCounts() {
        freezer("m1").freeze(APPS, TIMEOUT);
        controller.stall();

        assertThatThrownBy(() -> freezer("m1").thaw(Duration.ofMillis(500), Ledger.State.THAWED))
                .hasMessageContaining("deployment/web has 0/3 ready").hasMessageContaining("run pgrelocate rollback")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.APPS_NOT_RESTORED);
        assertThat(stored("m1").state()).isEqualTo(Ledger.State.FROZEN);
        assertThat(stored("m1").phases()).containsKey("thaw-failed");

        controller.resume();
        freezer("m1").thaw(TIMEOUT, Ledger.State.ROLLED_BACK);
        assertThat(pods("web")).isEqualTo(3);
    }

    AppFreezer freezer(String migration) {
        return new AppFreezer(client, new LedgerStore(client, NS, migration), out::add, Clock.systemUTC());
    }

    Ledger stored(String migration) {
        return new LedgerStore(client, NS, migration).read().orElseThrow();
    }

    int replicas(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }

    int pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().size();
    }
}
