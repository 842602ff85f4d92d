package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pgrelocate.engine.settings.SettingsException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user checks in the generated objects before applying them. */
class CnpgManifestsTest {

    @Test
    void theImageTagStartsWithTheSourceMajorAndAPrivateRegistryReplacesCnpgs() {
        assertThat(spec(cluster(CnpgManifests.initdb(Shapes.shop(14)))).get("imageName"))
                .isEqualTo("ghcr.io/cloudnative-pg/postgresql:14");
        assertThat(ImageName.forMajor(17, "registry.corp.example/mirror/cloudnative-pg/"))
                .isEqualTo("registry.corp.example/mirror/cloudnative-pg/postgresql:17");
    }

    @Test
    void parametersCnpgFixesAreDroppedAndReportedTheRestKept() {
        CnpgManifests manifests = CnpgManifests.initdb(Shapes.shop(16));

        assertThat(manifests.dropped()).containsOnlyKeys("archive_mode", "listen_addresses", "log_destination",
                "shared_preload_libraries", "ssl");
        assertThat(spec(cluster(manifests)).get("postgresql")).isEqualTo(Map.of("parameters",
                Map.of("max_connections", "200", "shared_buffers", "512MB", "work_mem", "8MB")));
    }

    @Test
    void theServerCertificateNamesEveryServiceAndPoolerInEveryForm() {
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) ((Map<String, Object>) spec(cluster(CnpgManifests.initdb(Shapes.shop(16))))
                .get("certificates")).get("serverAltDNSNames");

        for (String service : List.of("shop-db-rw", "shop-db-ro", "shop-db-r", "shop-db-pooler-rw", "shop-db-pooler-ro")) {
            assertThat(names).contains(service, service + ".shop", service + ".shop.svc", service + ".shop.svc.cluster.local");
        }
        assertThat(names).contains("db.shop.example.com").doesNotHaveDuplicates().hasSize(21);
    }

    @Test
    void twoPoolersOneForWritesOneForReads() {
        List<GenericKubernetesResource> objects = CnpgManifests.initdb(Shapes.shop(16)).objects();

        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly("Cluster/shop-db", "Pooler/shop-db-pooler-rw", "Pooler/shop-db-pooler-ro");
        assertThat(objects.subList(1, 3)).extracting(o -> spec(o).get("type")).containsExactly("rw", "ro");
        assertThat(objects.subList(1, 3)).allSatisfy(o -> assertThat(spec(o).get("cluster")).isEqualTo(Map.of("name", "shop-db")));
    }

    @Test
    void aMicroserviceImportDropsSourceOwnershipAMonolithKeepsIt() {
        Map<String, Object> micro = importSection(CnpgManifests.importing(Shapes.shop(16), Shapes.microservice()));
        assertThat(micro).containsEntry("type", "microservice").containsEntry("databases", List.of("shop"))
                .containsEntry("pgDumpExtraOptions", List.of("--jobs=4"))
                .containsEntry("pgRestoreExtraOptions", List.of("--jobs=4", "--no-owner", "--no-acl"))
                .doesNotContainKey("roles");

        Map<String, Object> mono = importSection(CnpgManifests.importing(Shapes.shop(16), Shapes.monolith()));
        assertThat(mono).containsEntry("type", "monolith").containsEntry("roles", List.of("shop", "billing", "reporting"))
                .containsEntry("pgRestoreExtraOptions", List.of("--jobs=4"));
    }

    @Test
    void theImportSourceIsReachedOverTlsWithThePasswordFromItsSecret() {
        Map<String, Object> spec = spec(cluster(CnpgManifests.importing(Shapes.shop(16), Shapes.microservice())));

        assertThat(spec.get("externalClusters")).isEqualTo(List.of(Map.of(
                "name", "source",
                "connectionParameters", Map.of("host", "shop-db-zalando.shop.svc", "port", "5432", "user", "postgres",
                        "dbname", "shop", "sslmode", "require"),
                "password", Map.of("name", "postgres.shop-db-zalando.credentials.postgresql.acid.zalan.do", "key", "password"))));
    }

    @Test
    void aPromotedClusterHasAStandbyAndArchivesToTheObjectStore() {
        CnpgManifests promoted = CnpgManifests.promoted(Shapes.shop(16), Shapes.backup());
        Map<String, Object> spec = spec(cluster(promoted));

        assertThat(spec.get("instances")).isEqualTo(2);
        assertThat(promoted.notes()).containsExactly("instances raised from 1 to 2: a promoted cluster needs a standby to fail over to");
        @SuppressWarnings("unchecked")
        Map<String, Object> store = (Map<String, Object>) ((Map<String, Object>) spec.get("backup")).get("barmanObjectStore");
        assertThat(store).containsEntry("destinationPath", "s3://backups/shop-db")
                .containsEntry("endpointURL", "https://minio.storage.svc:9000")
                .containsKey("wal");
        assertThat(CnpgManifests.promoted(Shapes.shop(16).withInstances(3), Shapes.backup()).notes()).isEmpty();
    }

    @Test
    void inputsCnpgCannotRunAreRefusedBeforeAnythingIsGenerated() {
        assertThatThrownBy(() -> Shapes.shop(12)).isInstanceOf(SettingsException.class).hasMessageContaining("PostgreSQL major 12");
        assertThatThrownBy(() -> new ImportSource("h", 5432, "u", "d", "s", "password", ImportSource.Type.MICROSERVICE,
                List.of("a", "b"), List.of(), 1)).isInstanceOf(SettingsException.class).hasMessageContaining("exactly one database");
        assertThatThrownBy(() -> new BackupTarget("backups/shop", null, "creds", null))
                .isInstanceOf(SettingsException.class).hasMessageContaining("s3://");
        assertThatThrownBy(() -> CnpgManifests.promoted(Shapes.shop(16), null)).isInstanceOf(SettingsException.class);
    }

    private static GenericKubernetesResource cluster(CnpgManifests manifests) {
        return manifests.objects().get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> importSection(CnpgManifests manifests) {
        Map<String, Object> bootstrap = (Map<String, Object>) spec(cluster(manifests)).get("bootstrap");
        return (Map<String, Object>) ((Map<String, Object>) bootstrap.get("initdb")).get("import");
    }
}
