package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.DryRunMockServer;
import io.pgrelocate.engine.testing.MockKubeconfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgrelocate.controller.GenerateCnpgTest.NS;
import static io.pgrelocate.controller.GenerateCnpgTest.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * `generate cnpg --apply`: a server-side dry run stores nothing; without it the objects are created, then updated;
 * a cluster without CloudNativePG is named as such.
 */
class GenerateCnpgApplyTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        server = DryRunMockServer.start();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void serverDryRunStoresNothingAndApplyCreatesThenUpdates() {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));

        assertThat(cli.run(with("--apply", "--dry-run=server"))).isZero();
        assertThat(cli.out()).isEqualTo("""
                cluster.postgresql.cnpg.io/shop-db created (server dry run)
                pooler.postgresql.cnpg.io/shop-db-pooler-rw created (server dry run)
                pooler.postgresql.cnpg.io/shop-db-pooler-ro created (server dry run)
                """);
        assertThat(stored("Cluster")).isEmpty();
        assertThat(stored("Pooler")).isEmpty();

        cli.clear();
        assertThat(cli.run(with("--apply"))).isZero();
        assertThat(cli.out()).startsWith("cluster.postgresql.cnpg.io/shop-db created\n");
        assertThat(stored("Cluster")).singleElement().satisfies(c ->
                assertThat(c.get("spec", "imageName").toString()).isEqualTo("ghcr.io/cloudnative-pg/postgresql:14"));
        assertThat(stored("Pooler")).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("shop-db-pooler-rw", "shop-db-pooler-ro");

        cli.clear();
        assertThat(cli.run(with("--apply", "--instances", "3"))).isZero();
        assertThat(cli.out()).startsWith("cluster.postgresql.cnpg.io/shop-db configured\n");
        assertThat(stored("Cluster")).singleElement().satisfies(c -> assertThat((Object) c.get("spec", "instances")).isEqualTo(3));
    }

    @Test
    void applyToAClusterWithoutCnpgSaysSo() {
        // without expectations this mock answers 404 to everything, as an API server without the CRDs does for them
        KubernetesMockServer plain = new KubernetesMockServer(false);
        plain.init();
        try {
            Cli cli = Cli.against(MockKubeconfig.write(plain, NS));

            assertThat(cli.run(with("--apply"))).isEqualTo(13);
            assertThat(cli.out()).isEmpty();
            assertThat(cli.err().lines().toList().get(1)).startsWith("error: cannot apply cluster.postgresql.cnpg.io/shop-db: HTTP 404")
                    .endsWith("; is CloudNativePG installed? The API server does not know postgresql.cnpg.io/v1 Cluster");
        } finally {
            plain.destroy();
        }
    }

    private List<GenericKubernetesResource> stored(String kind) {
        return client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("postgresql.cnpg.io")
                .withVersion("v1").withKind(kind).withPlural(kind.toLowerCase() + "s").withNamespaced(true).build())
                .inNamespace(NS).list().getItems();
    }
}
