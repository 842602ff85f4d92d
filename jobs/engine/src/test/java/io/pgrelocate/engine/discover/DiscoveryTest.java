package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.discover.SourceDescription.CredentialsSecret;
import io.pgrelocate.engine.discover.SourceDescription.Endpoints;
import io.pgrelocate.engine.discover.SourceDescription.Storage;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.pgrelocate.engine.testing.SourceFixtures.env;
import static io.pgrelocate.engine.testing.SourceFixtures.secretEnv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** What discovery extracts from each kind of source, and which applications it ties to each. */
@EnableKubernetesMockClient(crud = true, https = false)
class DiscoveryTest {
    static final String NS = "shop";

    KubernetesClient client;
    SourceFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new SourceFixtures(client, NS);
    }

    @Test
    void zalandoClusterIsDescribedFromItsResourceAndItsObjects() {
        fixtures.zalandoCluster();
        fixtures.app("web", env("DATABASE_URL", "postgres://shop_owner@acid-shop.shop.svc.cluster.local:5432/shop?sslmode=require"));
        fixtures.app("worker", secretEnv("PGPASSWORD", "foo-user.acid-shop.credentials.postgresql.acid.zalan.do", "password"));
        fixtures.app("unrelated", env("REDIS_HOST", "redis"));

        SourceDescription s = Discovery.in(client, NS).single(Optional.empty());

        assertThat(s.flavour()).isEqualTo(Flavour.ZALANDO);
        assertThat(s.image()).isEqualTo("registry.corp.example:5000/zalando/spilo-16:3.2-p2");
        assertThat(s.imagePullSecrets()).containsExactly("corp-registry");
        assertThat(s.major()).isEqualTo(16);
        assertThat(s.storage()).isEqualTo(new Storage("5Gi", "fast-ssd"));
        assertThat(s.resources().getLimits()).containsEntry("memory", new Quantity("500Mi"));
        assertThat(s.tolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("postgres"));
        assertThat(s.parameters()).containsEntry("max_connections", "10").hasSize(3);
        assertThat(s.users()).containsExactly("shop_owner", "foo_user");
        assertThat(s.databases()).containsExactly(Map.entry("shop", "shop_owner"), Map.entry("bar", "bar_owner"));
        assertThat(s.secrets()).containsExactly(
                new CredentialsSecret("shop-owner.acid-shop.credentials.postgresql.acid.zalan.do", "shop_owner", List.of("password", "username")),
                new CredentialsSecret("foo-user.acid-shop.credentials.postgresql.acid.zalan.do", "foo_user", List.of("password", "username")),
                new CredentialsSecret("postgres.acid-shop.credentials.postgresql.acid.zalan.do", "postgres", List.of("password", "username")));
        assertThat(s.endpoints()).isEqualTo(new Endpoints("acid-shop.shop.svc", "acid-shop-repl.shop.svc",
                List.of("acid-shop", "acid-shop-repl", "acid-shop-pooler")));
        assertThat(s.replicas()).isEqualTo(2);
        assertThat(s.apps()).containsExactly("deployment/web", "deployment/worker");
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void bitnamiWithAnExistingSecretTakesSecretAndKeysFromTheStatefulSetsEnv() {
        fixtures.bitnamiRelease("shop-postgresql", "shop-db-credentials", false);
        fixtures.bitnamiConfiguration("shop-postgresql", "# tuned\nmax_connections = 200\nshared_preload_libraries = 'pg_stat_statements'  # for the dashboards\n");
        fixtures.appWithConfigMap("api", Map.of("DB_HOST", "shop-postgresql", "DB_NAME", "appdb"));

        SourceDescription s = Discovery.in(client, NS).single(Optional.of("shop-postgresql"));

        assertThat(s.flavour()).isEqualTo(Flavour.BITNAMI);
        assertThat(s.secrets()).containsExactly(new CredentialsSecret("shop-db-credentials", null, List.of("admin-password", "user-password")));
        assertThat(s.major()).isEqualTo(15);
        assertThat(s.storage()).isEqualTo(new Storage("8Gi", "standard"));
        assertThat(s.parameters()).containsExactly(Map.entry("max_connections", "200"), Map.entry("shared_preload_libraries", "pg_stat_statements"));
        assertThat(s.users()).containsExactly("app", "postgres");
        assertThat(s.databases()).containsExactly(Map.entry("appdb", "app"));
        assertThat(s.endpoints()).isEqualTo(new Endpoints("shop-postgresql.shop.svc", null, List.of("shop-postgresql", "shop-postgresql-hl")));
        assertThat(s.apps()).containsExactly("deployment/api");
    }

    @Test
    void bitnamiPrimaryAndReadReplicasAreOneSource() {
        fixtures.bitnamiRelease("shop-postgresql", null, true);
        fixtures.app("reports", env("PGHOST", "shop-postgresql-read-0.shop-postgresql-read-hl.shop.svc.cluster.local"));

        Discovery found = Discovery.in(client, NS);

        assertThat(found.sources()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("shop-postgresql");
            assertThat(s.replicas()).isEqualTo(3);
            assertThat(s.endpoints().rw()).isEqualTo("shop-postgresql-primary.shop.svc");
            assertThat(s.endpoints().ro()).isEqualTo("shop-postgresql-read.shop.svc");
            assertThat(s.secretNames()).containsExactly("shop-postgresql");
            assertThat(s.apps()).containsExactly("deployment/reports");
        });
    }

    @Test
    void aSubChartAliasIsASecondSourceAndSingleRefusesToGuess() {
        fixtures.bitnamiRelease("camunda-postgresql", null, false);
        fixtures.bitnamiRelease("camunda-identity-postgresql", null, false);
        fixtures.app("zeebe", env("SPRING_DATASOURCE_URL", "jdbc:postgresql://camunda-postgresql:5432/camunda"));
        fixtures.app("identity", env("IDENTITY_DATABASE_HOST", "camunda-identity-postgresql.shop"));

        Discovery found = Discovery.in(client, NS);

        assertThat(found.sources()).extracting(SourceDescription::name, SourceDescription::apps).containsExactly(
                tuple("camunda-identity-postgresql", List.of("deployment/identity")),
                tuple("camunda-postgresql", List.of("deployment/zeebe")));
        assertThatThrownBy(() -> found.single(Optional.empty())).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.exitCode().code()).isEqualTo(2);
            assertThat(e.getMessage()).isEqualTo("2 sources in namespace shop: camunda-identity-postgresql (bitnami), "
                    + "camunda-postgresql (bitnami); pass --source NAME to choose one");
        });
        assertThat(found.single(Optional.of("camunda-postgresql")).apps()).containsExactly("deployment/zeebe");
    }

    @Test
    void anApplicationOnAnExternalDatabaseIsNothingToMigrate() {
        fixtures.app("api", env("DATABASE_HOST", "mydb.abc123.eu-west-1.rds.amazonaws.com"), env("CACHE_HOST", "cache.example.com"));

        assertThatThrownBy(() -> Discovery.in(client, NS)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.NOTHING_TO_MIGRATE);
            assertThat(e.getMessage()).isEqualTo("nothing to migrate: the applications in namespace shop use an external database, "
                    + "and no PostgreSQL runs in the namespace: deployment/api uses mydb.abc123.eu-west-1.rds.amazonaws.com (DATABASE_HOST)");
        });
    }
}
