package io.pgrelocate.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.pgrelocate.engine.testing.FakeWorkloadController.deployment;
import static io.pgrelocate.engine.testing.FakeWorkloadController.statefulSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** freeze, thaw and rollback from the CLI: what they print, what they refuse, and the replicas they leave. */
@EnableKubernetesMockClient(crud = true, https = false)
class FreezeRollbackTest {
    static final String NS = "shop";
    static final String LEDGER = "pgrelocate-ledger-shop-to-cnpg";

    KubernetesMockServer server;
    KubernetesClient client;
    FakeWorkloadController workloads;
    Cli cli;

    @BeforeEach
    void appsAndSettings() {
        client.apps().deployments().inNamespace(NS).resource(deployment("web", 3)).create();
        client.apps().statefulSets().inNamespace(NS).resource(statefulSet("sidekiq", 2)).create();
        // the CLI takes migration, workloads and timeouts from the settings the Jobs read
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg",
                "PGRELOCATE_WORKLOADS", "deployment/web, statefulset/sidekiq", "PGRELOCATE_FREEZE_TIMEOUT", "20s",
                "PGRELOCATE_THAW_TIMEOUT", "20s"));
        workloads = new FakeWorkloadController(client, NS);
        await().until(() -> pods("web") == 3 && pods("sidekiq") == 2);
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void freezeThenRollbackRestoresTheRecordedReplicas() {
        assertThat(cli.run("freeze")).as(cli.err()).isZero();
        assertThat(cli.out().lines()).containsExactly(
                "freeze: replicas recorded in ConfigMap shop/" + LEDGER,
                "freeze: deployment/web 3 → 0",
                "freeze: statefulset/sidekiq 2 → 0",
                "freeze: all pods gone; the applications are stopped");
        assertThat(replicas("web")).isZero();
        assertThat(pods("web") + pods("sidekiq")).isZero();

        cli.clear();
        assertThat(cli.run("rollback")).as(cli.err()).isZero();
        assertThat(cli.out().lines()).containsExactly(
                "thaw: deployment/web → 3",
                "thaw: statefulset/sidekiq → 2",
                "thaw: every application is back at its recorded replicas and ready",
                "rollback: ledger shop/" + LEDGER + " is now rolled-back");
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("sidekiq").get().getSpec().getReplicas()).isEqualTo(2);
        assertThat(pods("web")).isEqualTo(3);
    }

    @Test
    void freezeDryRunSaysWhatItWouldDoAndChangesNothing() {
        assertThat(cli.run("freeze", "--dry-run")).isZero();

        assertThat(cli.out().lines()).containsExactly(
                "dry run: deployment/web: record 3 replica(s), scale 3 → 0",
                "dry run: statefulset/sidekiq: record 2 replica(s), scale 2 → 0",
                "dry run: nothing was changed");
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(client.configMaps().inNamespace(NS).withName(LEDGER).get()).isNull();
    }

    @Test
    void thawDryRunShowsTheRestorePlanWithoutScaling() {
        cli.run("freeze", "--workload", "deployment/web");
        cli.clear();

        assertThat(cli.run("thaw", "--dry-run")).isZero();
        assertThat(cli.out().lines()).containsExactly("dry run: deployment/web: scale 0 → 3", "dry run: nothing was changed");
        assertThat(replicas("web")).isZero();
    }

    @Test
    void anUnknownWorkloadIsExit2AndNothingIsScaled() {
        assertThat(cli.run("freeze", "--workload", "deployment/web", "--workload", "deployment/wbe")).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("error: deployment/wbe not found in namespace shop; nothing was changed: "
                + "check PGRELOCATE_WORKLOADS / --workload\n");
        assertThat(replicas("web")).isEqualTo(3);
        assertThat(client.configMaps().inNamespace(NS).withName(LEDGER).get()).isNull();
    }

    @Test
    void rollbackWithoutALedgerIsExit14() {
        assertThat(cli.run("rollback", "--migration", "never-frozen")).isEqualTo(14);
        assertThat(cli.err()).isEqualTo("error: no ledger shop/pgrelocate-ledger-never-frozen: migration 'never-frozen' "
                + "never froze anything, so there is nothing to restore\n");
    }

    @Test
    void statusShowsTheLedgerAgainstTheWorkloadsAndTheNewestJobs() {
        cli.run("freeze");
        cli.clear();

        assertThat(cli.run("status")).as(cli.err()).isZero();
        String out = cli.out();
        assertThat(out).startsWith("migration shop-to-cnpg: frozen (ledger ConfigMap shop/" + LEDGER + ")\nphases:\n");
        assertThat(out).containsPattern("\n  frozen +\\d{4}-\\d\\d-\\d\\dT")
                .containsPattern("\n  deployment/web +3 +0 +0  frozen\n")
                .containsPattern("\n  statefulset/sidekiq +2 +0 +0  frozen\n")
                .contains("\njobs:\n  backup-test    none\n", "\n  migration      none\n");

        cli.clear();
        assertThat(cli.run("status", "-o", "json")).isZero();
        assertThat(cli.out()).contains("\"migration\" : \"shop-to-cnpg\"", "\"state\" : \"FROZEN\"", "\"replicas\" : 3");
    }

    @Test
    void freezeHelpTeaches() {
        assertThat(cli.run("freeze", "--help")).isZero();
        assertThat(cli.outFlat()).contains("Records each workload's replicas", "Example: pgrelocate freeze",
                "PGRELOCATE_WORKLOADS", "--dry-run", "14 the ledger belongs to another migration");
        cli.clear();
        assertThat(cli.run("rollback", "--help")).isZero();
        assertThat(cli.outFlat()).contains("the source stays the database", "Example: pgrelocate rollback",
                "15 some workloads are not back in time");
    }

    int replicas(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }

    int pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems().size();
    }
}
