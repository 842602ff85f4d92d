package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.discover.SourceDescription.Storage;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pgrelocate.engine.testing.SourceFixtures.env;
import static io.pgrelocate.engine.testing.SourceFixtures.secretEnv;
import static org.assertj.core.api.Assertions.assertThat;

/** Bitnami mysql and mariadb releases are found like the PostgreSQL ones, with the applications that use them. */
@EnableKubernetesMockClient(crud = true, https = false)
class MysqlDiscoveryTest {
    static final String NS = "legacy";

    KubernetesClient client;
    SourceFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new SourceFixtures(client, NS);
    }

    /** What the charts create: StatefulSets (primary/secondary with replication), their Services and the release's Secret. */
    private void release(String kind, String release, boolean replication) {
        String fullname = release + "-" + kind;
        String prefix = kind.equals("mariadb") ? "MARIADB_" : "MYSQL_";
        Map<String, String> labels = Map.of("app.kubernetes.io/name", kind, "app.kubernetes.io/instance", release);
        for (String sts : replication ? List.of(fullname + "-primary", fullname + "-secondary") : List.of(fullname)) {
            client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder(FakeWorkloadController.statefulSet(sts, 1))
                    .editMetadata().withLabels(labels).endMetadata()
                    .editSpec().editTemplate().editSpec().editFirstContainer().withName(kind)
                    .withImage("docker.io/bitnami/" + kind + ":" + (kind.equals("mariadb") ? "10.11.6-debian-11-r0" : "8.0.35-debian-11-r0"))
                    .withEnv(env(prefix + "USER", "shop"), env(prefix + "DATABASE", "shopdb"),
                            secretEnv(prefix + "ROOT_PASSWORD", fullname, kind + "-root-password"),
                            secretEnv(prefix + "PASSWORD", fullname, kind + "-password"))
                    .endContainer().endSpec().endTemplate()
                    .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
                            .withNewSpec().withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build())
                    .endSpec().build()).create();
            for (String svc : List.of(sts, sts + "-headless")) {
                client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(svc).withLabels(labels)
                        .endMetadata().withNewSpec().addNewPort().withPort(3306).endPort().endSpec().build()).create();
            }
        }
        String pw = Base64.getEncoder().encodeToString(SourceFixtures.PASSWORD.getBytes());
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(fullname).withLabels(labels).endMetadata()
                .addToData(kind + "-root-password", pw).addToData(kind + "-password", pw).build()).create();
    }

    @Test
    void aStandaloneMysqlReleaseIsASourceWithItsApps() {
        release("mysql", "shop", false);
        fixtures.app("web", env("DB_HOST", "shop-mysql"), env("DB_PORT", "3306"));
        fixtures.app("worker", secretEnv("MYSQL_PASSWORD", "shop-mysql", "mysql-password"));
        fixtures.app("unrelated", env("REDIS_HOST", "redis"));

        SourceDescription s = Discovery.in(client, NS).single(Optional.empty());

        assertThat(s.flavour()).isEqualTo(Flavour.BITNAMI_MYSQL);
        assertThat(s.flavour().label()).isEqualTo("bitnami-mysql");
        assertThat(s.name()).isEqualTo("shop-mysql");
        assertThat(s.major()).isNull();
        assertThat(s.users()).containsExactly("shop", "root");
        assertThat(s.databases()).containsExactly(Map.entry("shopdb", "shop"));
        assertThat(s.storage()).isEqualTo(new Storage("10Gi", null));
        assertThat(s.secrets()).containsExactly(new CredentialsSecret("shop-mysql", null, List.of("mysql-password", "mysql-root-password")));
        assertThat(s.endpoints().rw()).isEqualTo("shop-mysql." + NS + ".svc");
        assertThat(s.endpoints().services()).containsExactly("shop-mysql", "shop-mysql-headless");
        assertThat(s.apps()).containsExactlyInAnyOrder("deployment/web", "deployment/worker");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("migrate --source mysql://shop@shop-mysql." + NS + ".svc:3306/shopdb"));
    }

    @Test
    void aReplicatedMariadbReleaseIsOneSourceBesideAPostgresql() {
        release("mariadb", "erp", true);
        fixtures.bitnamiRelease("erp-postgresql", null, false);
        fixtures.app("erp", env("DATABASE_URL", "mysql://shop@erp-mariadb-primary:3306/shopdb"));

        Discovery d = Discovery.in(client, NS);

        assertThat(d.sources()).extracting(SourceDescription::name).containsExactly("erp-postgresql", "erp-mariadb");
        SourceDescription maria = d.single(Optional.of("erp-mariadb"));
        assertThat(maria.flavour()).isEqualTo(Flavour.BITNAMI_MARIADB);
        assertThat(maria.replicas()).isEqualTo(2);
        assertThat(maria.endpoints().rw()).isEqualTo("erp-mariadb-primary." + NS + ".svc");
        assertThat(maria.endpoints().ro()).isEqualTo("erp-mariadb-secondary." + NS + ".svc");
        assertThat(maria.apps()).containsExactly("deployment/erp");
        assertThat(d.single(Optional.of("erp-postgresql")).apps()).isEmpty();
        assertThat(d.externalDatabases()).isEmpty();
    }
}
