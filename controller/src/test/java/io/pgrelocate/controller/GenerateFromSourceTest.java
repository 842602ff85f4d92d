package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** generate cnpg --from-source: a cluster sized like the discovered Zalando source, importing from it. */
@EnableKubernetesMockClient(crud = true, https = false)
class GenerateFromSourceTest {
    static final String NS = "shop";
    static final String POSTGRES_SECRET = "postgres.acid-shop.credentials.postgresql.acid.zalan.do";

    KubernetesMockServer server;
    KubernetesClient client;
    Cli cli;

    @BeforeEach
    void zalandoSource() {
        new SourceFixtures(client, NS).zalandoCluster();
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @Test
    void theClusterIsSizedLikeTheSource() {
        assertThat(cli.run("generate", "cnpg", "--from-source", "acid-shop")).as(cli.err()).isZero();

        Map<String, Object> spec = cluster().get("spec") instanceof Map<?, ?> m ? cast(m) : Map.of();
        assertThat(cluster().getMetadata().getName()).isEqualTo("acid-shop-cnpg");
        assertThat(String.valueOf(spec.get("imageName"))).endsWith(":16");
        assertThat(spec).containsEntry("instances", 2);
        assertThat(cast((Map<?, ?>) spec.get("storage"))).containsEntry("size", "5Gi").containsEntry("storageClass", "fast-ssd");
        assertThat(spec.get("affinity").toString()).contains("tolerations");
    }

    @Test
    void theImportLogsInWithTheSourcesOwnSuperuserSecret() {
        assertThat(cli.run("generate", "cnpg", "--from-source", "acid-shop", "--variant", "import")).as(cli.err()).isZero();

        String yaml = cli.out();
        assertThat(yaml).contains("host: \"acid-shop.shop.svc\"", "sslmode: \"require\"", "name: \"" + POSTGRES_SECRET + "\"",
                        "key: \"password\"")
                .doesNotContain(SourceFixtures.PASSWORD);
    }

    @Test
    void anImportFromAnotherHostKeepsTheDiscoveredSecretAndWithoutASourceNeedsOne() {
        assertThat(cli.run("generate", "cnpg", "--from-source", "acid-shop", "--variant", "import", "--source-host", "acid-shop-pooler"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("host: \"acid-shop-pooler\"", "name: \"" + POSTGRES_SECRET + "\"").doesNotContain(SourceFixtures.PASSWORD);

        cli.clear();
        assertThat(cli.run("generate", "cnpg", "--name", "mastodon-db", "--postgres-major", "16", "--storage-size", "1Gi",
                "--variant", "import", "--source-host", "acid-shop")).isEqualTo(2);
        assertThat(cli.err()).contains("--variant import --source-host acid-shop needs --source-secret SECRET");
    }

    @Test
    void aSecretWithoutThePasswordKeyIsRefusedBeforeAnythingIsGenerated() {
        client.secrets().inNamespace(NS).withName(POSTGRES_SECRET).delete();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(POSTGRES_SECRET)
                .addToLabels(Map.of("application", "spilo", "cluster-name", "acid-shop")).endMetadata()
                .addToData("username", "cG9zdGdyZXM=").build()).create();

        assertThat(cli.run("generate", "cnpg", "--from-source", "acid-shop", "--variant", "import")).isEqualTo(2);
        assertThat(cli.err()).contains("no Secret of source acid-shop holds the superuser's password under password or postgres-password",
                POSTGRES_SECRET + " with keys [username]");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void aTargetOlderThanTheSourceIsRefused() {
        assertThat(cli.run("generate", "cnpg", "--from-source", "acid-shop", "--postgres-major", "15")).isEqualTo(5);
        assertThat(cli.err()).contains("target major 15 is older than source acid-shop's 16");
    }

    /** The first printed document, as kubectl would read it: the Cluster. */
    GenericKubernetesResource cluster() {
        List<HasMetadata> docs = client.load(new ByteArrayInputStream(cli.out().getBytes(StandardCharsets.UTF_8))).items();
        return (GenericKubernetesResource) docs.stream().filter(d -> d.getKind().equals("Cluster")).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
