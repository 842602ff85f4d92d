package io.pgrelocate.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.MockKubeconfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** `pgrelocate generate cnpg` as a user runs it: YAML to read or commit, and --apply with and without a dry run. */
@EnableKubernetesMockClient(crud = true, https = false)
class GenerateCnpgTest {
    static final String NS = "shop";
    static final String[] SHOP_DB = {"generate", "cnpg", "--name", "shop-db", "--postgres-major", "14", "--storage-size", "20Gi",
            "--parameter", "shared_buffers=512MB", "--parameter", "ssl=on", "--toleration", "dedicated=postgres:NoSchedule"};

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void printsAClusterAndTwoPoolersAsYamlAndNamesTheDroppedParameter() throws IOException {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));

        assertThat(cli.run(SHOP_DB)).isZero();

        List<JsonNode> docs = documents(cli.out());
        assertThat(docs).extracting(d -> d.at("/kind").asText() + "/" + d.at("/metadata/name").asText())
                .containsExactly("Cluster/shop-db", "Pooler/shop-db-pooler-rw", "Pooler/shop-db-pooler-ro");
        JsonNode spec = docs.get(0).at("/spec");
        assertThat(docs.get(0).at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(spec.at("/imageName").asText()).isEqualTo("ghcr.io/cloudnative-pg/postgresql:14");
        assertThat(spec.at("/postgresql/parameters/shared_buffers").asText()).isEqualTo("512MB");
        assertThat(spec.at("/postgresql/parameters").has("ssl")).isFalse();
        assertThat(spec.at("/affinity/tolerations/0/effect").asText()).isEqualTo("NoSchedule");
        assertThat(cli.err()).isEqualTo("dropped parameter ssl=on: CloudNativePG sets it itself and refuses it in a Cluster\n");
    }

    @Test
    void importAndPromotedVariantsTakeTheirSourceAndBackupFromFlags() throws IOException {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run(with("--variant", "import", "--database", "shop", "--owner", "shop",
                "--source-host", "shop-db-zalando", "--source-secret", "postgres.shop-db-zalando.credentials", "--jobs", "4"))).isZero();
        JsonNode imported = documents(cli.out()).get(0).at("/spec");
        assertThat(imported.at("/bootstrap/initdb/import/databases/0").asText()).isEqualTo("shop");
        assertThat(imported.at("/externalClusters/0/connectionParameters/sslmode").asText()).isEqualTo("require");
        assertThat(imported.at("/externalClusters/0/password/name").asText()).isEqualTo("postgres.shop-db-zalando.credentials");

        cli.clear();
        assertThat(cli.run(with("--variant", "promoted", "--backup-destination", "s3://backups/shop-db", "--backup-secret", "s3-creds"))).isZero();
        JsonNode promoted = documents(cli.out()).get(0).at("/spec");
        assertThat(promoted.at("/instances").asInt()).isEqualTo(2);
        assertThat(promoted.at("/backup/barmanObjectStore/destinationPath").asText()).isEqualTo("s3://backups/shop-db");
        assertThat(cli.err()).contains("note: instances raised from 1 to 2");

        cli.clear();
        assertThat(cli.run(with("--variant", "promoted"))).isEqualTo(2);
        assertThat(cli.err()).contains("error: backup destination \"null\" is not a URL such as s3://bucket/path");
        assertThat(cli.out()).isEmpty();
    }

    @Test
    void theLogicalVariantAddsTheSubscriptionOnTheMigrationsSlot() throws IOException {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run(with("--variant", "logical", "--migration", "shop", "--database", "shop", "--owner", "shop",
                "--source-host", "shop-db-zalando", "--source-secret", "postgres.shop-db-zalando.credentials"))).isZero();
        List<JsonNode> docs = documents(cli.out());
        assertThat(docs).extracting(d -> d.at("/kind").asText())
                .containsExactly("Cluster", "Pooler", "Pooler", "Subscription");
        assertThat(docs.get(0).at("/spec/bootstrap/initdb/import").isMissingNode()).isTrue();
        assertThat(docs.get(0).at("/spec/externalClusters/0/connectionParameters/host").asText()).isEqualTo("shop-db-zalando");
        JsonNode subscription = docs.get(3).at("/spec");
        assertThat(subscription.at("/name").asText()).isEqualTo("pgrelocate_shop");
        assertThat(subscription.at("/publicationName").asText()).isEqualTo("pgrelocate_shop");
        assertThat(subscription.at("/externalClusterName").asText()).isEqualTo("source");
        assertThat(subscription.at("/parameters/create_slot").asText()).isEqualTo("false");
        assertThat(subscription.at("/parameters/slot_name").asText()).isEqualTo("pgrelocate_shop");
        assertThat(cli.err()).contains("note: apply the Subscription only after pgrelocate has made the publication and slot");
    }

    @Test
    void outputDirHoldsOneFilePerObject(@TempDir Path dir) throws IOException {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));

        assertThat(cli.run(with("--output-dir", dir.toString()))).isZero();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("cluster-shop-db.yaml", "pooler-shop-db-pooler-rw.yaml", "pooler-shop-db-pooler-ro.yaml");
        }
        assertThat(documents(Files.readString(dir.resolve("cluster-shop-db.yaml")))).singleElement()
                .satisfies(d -> assertThat(d.at("/spec/storage/size").asText()).isEqualTo("20Gi"));
    }

    @Test
    void dryRunWithoutApplyIsRefused() {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run(with("--dry-run=server"))).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: --dry-run=server goes with --apply");
    }

    @Test
    void helpStartsWithWhatItGenerates() {
        Cli cli = Cli.local();
        assertThat(cli.run("generate", "cnpg", "--help")).isZero();
        assertThat(cli.outFlat()).startsWith("Usage: pgrelocate generate cnpg --name NAME --postgres-major N --storage-size SIZE "
                + "[--variant initdb|import|promoted|logical] [OPTIONS] Generates a CloudNativePG Cluster and its read-write and read-only PgBouncer Poolers.");
        assertThat(cli.outFlat()).contains("--variant=VARIANT", "--apply", "--dry-run[=server]", "--image-registry=REGISTRY");
    }

    static String[] with(String... more) {
        return Stream.concat(Stream.of(SHOP_DB), Stream.of(more)).toArray(String[]::new);
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            return docs.readAll();
        }
    }
}
