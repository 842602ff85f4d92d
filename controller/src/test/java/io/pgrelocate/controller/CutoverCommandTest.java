package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** cutover and rollback from the CLI: the applications' settings move to the target and come back unchanged. */
@EnableKubernetesMockClient(crud = true, https = false)
class CutoverCommandTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    FakeWorkloadController workloads;
    Cli cli;

    @BeforeEach
    void appReadingTheSourceHost() {
        Deployment web = FakeWorkloadController.deployment("web", 2);
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(new EnvVar("DATABASE_URL", "postgres://app@acid-main:5432/app", null)));
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef("web-config", false).build()));
        client.apps().deployments().inNamespace(NS).resource(web).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("web-config").endMetadata()
                .withData(Map.of("DB_RO_HOST", "acid-main-repl.shop.svc")).build()).create();
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg", "PGRELOCATE_WORKLOADS", "deployment/web",
                "PGRELOCATE_FREEZE_TIMEOUT", "20s", "PGRELOCATE_THAW_TIMEOUT", "20s"));
        workloads = new FakeWorkloadController(client, NS);
        await().until(() -> client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().size() == 2);
        cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run("freeze")).as(cli.err()).isZero();
        assertThat(cli.run("thaw")).as(cli.err()).isZero();
        cli.clear();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void dryRunNamesTheSettingsWithoutTheirValuesAndChangesNothing() {
        assertThat(cli.run("cutover", "--host", "acid-main=main-pooler-rw", "--host", "acid-main-repl=main-pooler-ro", "--dry-run"))
                .as(cli.err()).isZero();

        assertThat(cli.out().lines()).containsExactly(
                "dry run: would rewrite deployment/web container web env DATABASE_URL",
                "dry run: would rewrite configmap/web-config configmap DB_RO_HOST",
                "dry run: nothing was changed");
        assertThat(databaseUrl()).isEqualTo("postgres://app@acid-main:5432/app");
    }

    @Test
    void aBadHostMappingIsABadSetting() {
        assertThat(cli.run("cutover", "--host", "acid-main")).isEqualTo(2);
        assertThat(cli.err()).contains("host mapping 'acid-main' is not SOURCE_HOST=TARGET_HOST");
    }

    String databaseUrl() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().get(0).getValue();
    }
}
