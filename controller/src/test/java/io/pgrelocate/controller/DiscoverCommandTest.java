package io.pgrelocate.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.pgrelocate.engine.testing.SourceFixtures.env;
import static io.pgrelocate.engine.testing.SourceFixtures.secretEnv;
import static org.assertj.core.api.Assertions.assertThat;

/** `pgrelocate discover`: the table a user reads, the full model, and the exit codes when there is nothing or too much to choose from. */
@EnableKubernetesMockClient(crud = true, https = false)
class DiscoverCommandTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    SourceFixtures fixtures;
    Cli cli;

    @BeforeEach
    void cli() {
        fixtures = new SourceFixtures(client, NS);
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @Test
    void aZalandoClusterIsOneRowWithItsMajorSizeSecretAndAppsAndAnExternalDatabaseIsANote() {
        fixtures.zalandoCluster();
        fixtures.app("web", env("DATABASE_URL", "postgres://shop_owner:" + SourceFixtures.PASSWORD + "@acid-shop:5432/shop"));
        fixtures.app("worker", secretEnv("PGPASSWORD", "foo-user.acid-shop.credentials.postgresql.acid.zalan.do", "password"));
        fixtures.app("billing", env("PGHOST", "billing.cxyz.eu-west-1.rds.amazonaws.com"));

        assertThat(cli.run("discover")).as(cli.err()).isZero();

        assertThat(cli.out().lines()).containsExactly(
                "SOURCE      KIND      MAJOR   SIZE   SECRET                                                           APPS",
                "acid-shop   zalando   16      5Gi    shop-owner.acid-shop.credentials.postgresql.acid.zalan.do (+2)   deployment/web,deployment/worker",
                "note: external database: deployment/billing uses billing.cxyz.eu-west-1.rds.amazonaws.com (PGHOST)");
    }

    @Test
    void twoSourcesAreBothListedAndSourcePicksOne() {
        fixtures.bitnamiRelease("camunda-postgresql", null, false);
        fixtures.bitnamiRelease("camunda-identity-postgresql", null, false);
        fixtures.app("zeebe", env("SPRING_DATASOURCE_URL", "jdbc:postgresql://camunda-postgresql:5432/camunda"));
        fixtures.app("identity", env("IDENTITY_DATABASE_HOST", "camunda-identity-postgresql.shop.svc.cluster.local"));

        assertThat(cli.run("discover")).as(cli.err()).isZero();
        assertThat(cli.out().lines()).containsExactly(
                "SOURCE                        KIND      MAJOR   SIZE   SECRET                        APPS",
                "camunda-identity-postgresql   bitnami   15      8Gi    camunda-identity-postgresql   deployment/identity",
                "camunda-postgresql            bitnami   15      8Gi    camunda-postgresql            deployment/zeebe");

        cli.clear();
        assertThat(cli.run("discover", "--source", "camunda-postgresql", "-o", "json")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("\"name\" : \"camunda-postgresql\"", "\"apps\" : [ \"deployment/zeebe\" ]",
                "\"keys\" : [ \"password\", \"postgres-password\" ]").doesNotContain("camunda-identity-postgresql");

        cli.clear();
        assertThat(cli.run("discover", "--source", "camunda")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: no source camunda in namespace shop; found: camunda-identity-postgresql (bitnami), "
                + "camunda-postgresql (bitnami)\n");
    }

    @Test
    void anAppOnRdsIsExit18NamingTheHost() {
        fixtures.app("api", env("DATABASE_HOST", "mydb.abc123.eu-west-1.rds.amazonaws.com"));

        assertThat(cli.run("discover")).isEqualTo(18);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err()).isEqualTo("error: nothing to migrate: the applications in namespace shop use an external database, "
                + "and no PostgreSQL runs in the namespace: deployment/api uses mydb.abc123.eu-west-1.rds.amazonaws.com (DATABASE_HOST)\n");
    }

    @Test
    void anEmptyNamespaceIsExit18() {
        assertThat(cli.run("discover", "-n", "empty")).isEqualTo(18);
        assertThat(cli.err()).isEqualTo("error: nothing to migrate: no database source in namespace empty (looked for Zalando "
                + "postgresql resources and StatefulSets labelled app.kubernetes.io/name=postgresql, mysql or mariadb)\n");
    }

    @Test
    void secretValuesAppearInNoOutputFormat() {
        fixtures.zalandoCluster();
        fixtures.bitnamiRelease("shop-postgresql", "shop-db-credentials", false);
        fixtures.app("web", env("DATABASE_URL", "postgres://app:" + SourceFixtures.PASSWORD + "@shop-postgresql/appdb"));
        String encoded = Base64.getEncoder().encodeToString(SourceFixtures.PASSWORD.getBytes(StandardCharsets.UTF_8));

        for (String format : new String[] {"table", "yaml", "json"}) {
            cli.clear();
            assertThat(cli.run("discover", "-o", format)).as(cli.err()).isZero();
            assertThat(cli.out()).as(format).contains("shop-db-credentials", "deployment/web")
                    .doesNotContain(SourceFixtures.PASSWORD, encoded);
        }
        assertThat(cli.out()).contains("\"keys\" : [ \"admin-password\", \"user-password\" ]");
    }

    @Test
    void yamlIsTheWholeDescription() {
        fixtures.zalandoCluster();

        assertThat(cli.run("discover", "-o", "yaml")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("namespace: \"shop\"", "- flavour: \"zalando\"",
                "image: \"registry.corp.example:5000/zalando/spilo-16:3.2-p2\"", "storageClass: \"fast-ssd\"",
                "shared_buffers: \"32MB\"", "rw: \"acid-shop.shop.svc\"", "ro: \"acid-shop-repl.shop.svc\"", "apps: []");
    }

    @Test
    void helpSaysWhatItLooksForAndItsExitCodes() {
        Cli local = Cli.local();
        assertThat(local.run("discover", "--help")).isZero();
        assertThat(local.outFlat()).contains("Finds the PostgreSQL databases of a namespace and the applications that use them.",
                "acid.zalan.do", "app.kubernetes.io/name=postgresql", "never its values", "--source=NAME",
                "18 nothing to migrate: no source in the namespace, or the applications use an external database");
    }
}
