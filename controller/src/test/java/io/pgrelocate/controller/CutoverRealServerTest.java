package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.RealKubernetes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 on a real API server with its controller-manager: the Deployment controller writes the
 * Deployment between pgrelocate's calls, and a cutover must neither fail on that nor stop half-way.
 */
@ExtendWith(RealKubernetes.class)
class CutoverRealServerTest {
    static final String URL = "postgres://mastodon@acid-mastodon:5432/mastodon?sslmode=require";

    // the controller's write lands between two calls only in about half the runs: three runs catch a regression almost always
    @RepeatedTest(3)
    void cutoverOfTwoEnvValuesAndAConfigMapCompletesWhileTheControllerWritesTheDeployment(KubeNamespace ns) {
        KubernetesClient k = ns.admin();
        mastodon(k);
        ns.fakeKubelet();
        Cli cli = Cli.against(ns.kubeconfig());

        assertThat(cli.run("freeze", "--migration", "m2", "--workload", "deployment/web", "--timeout", "60s")).as(cli.err()).isZero();
        assertThat(cli.run("cutover", "--migration", "m2", "--host", "acid-mastodon=db-pooler-rw", "--host", "acid-mastodon-repl=db-pooler-ro",
                "--app", "deployment/web", "--timeout", "60s")).as(cli.err()).isZero();
        assertThat(cli.run("thaw", "--migration", "m2", "--timeout", "60s")).as(cli.err()).isZero();

        assertThat(env(k)).extracting(EnvVar::getValue).containsExactly("db-pooler-rw", "db-pooler-ro");
        assertThat(k.configMaps().withName("app-db").get().getData()).isEqualTo(Map.of(
                "DATABASE_URL", "postgres://mastodon@db-pooler-rw:5432/mastodon?sslmode=require", "REPLICA_HOST", "db-pooler-ro"));
        Deployment web = k.apps().deployments().withName("web").get();
        assertThat(web.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(web.getStatus().getUpdatedReplicas()).isEqualTo(2);
    }

    @Test
    void aCutoverWhoseSecondObjectCannotBeWrittenPutsTheFirstBackAndNamesTheObject(KubeNamespace ns) {
        KubernetesClient k = ns.admin();
        mastodon(k);
        k.secrets().resource(new SecretBuilder().withNewMetadata().withName("app-db-credentials").endMetadata()
                .addToStringData("DATABASE_URL_WITH_PASSWORD", "postgres://mastodon:pw@acid-mastodon:5432/mastodon").build()).create();
        k.apps().deployments().withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
                    .add(new EnvFromSourceBuilder().withNewSecretRef("app-db-credentials", false).build());
            return d;
        });
        ns.fakeKubelet();
        ns.newAccount("operator");
        cutoverRoleWithoutUpdatingAppSecrets(k);
        PodTemplateSpec templateBefore = k.apps().deployments().withName("web").get().getSpec().getTemplate();
        Map<String, String> configBefore = k.configMaps().withName("app-db").get().getData();
        Map<String, String> secretBefore = k.secrets().withName("app-db-credentials").get().getData();
        Cli admin = Cli.against(ns.kubeconfig());
        assertThat(admin.run("freeze", "--migration", "m2", "--workload", "deployment/web", "--timeout", "60s")).as(admin.err()).isZero();
        Cli cli = Cli.against(ns.kubeconfig("operator"));

        int exit = cli.run("cutover", "--migration", "m2", "--host", "acid-mastodon=db-pooler-rw", "--app", "deployment/web", "--timeout", "60s");

        assertThat(exit).as(cli.out() + cli.err()).isEqualTo(13);
        assertThat(cli.err()).contains("secret/app-db-credentials", "forbidden");
        assertThat(k.apps().deployments().withName("web").get().getSpec().getTemplate()).isEqualTo(templateBefore);
        assertThat(k.configMaps().withName("app-db").get().getData()).isEqualTo(configBefore);
        assertThat(k.secrets().withName("app-db-credentials").get().getData()).isEqualTo(secretBefore);
        assertThat(k.configMaps().withName("pgrelocate-ledger-m2").get().getData().get("ledger.json"))
                .contains("cutover-failed").doesNotContain("\"cutover\" : [ {");
    }

    /** The applications: Deployment web (2 replicas) with two host settings in env and two in ConfigMap app-db. */
    static void mastodon(KubernetesClient k) {
        k.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("app-db").endMetadata()
                .withData(Map.of("DATABASE_URL", URL, "REPLICA_HOST", "acid-mastodon-repl")).build()).create();
        Deployment web = FakeWorkloadController.deployment("web", 2);
        var container = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setEnv(List.of(new EnvVar("DB_HOST", "acid-mastodon", null), new EnvVar("DB_HOST_RO", "acid-mastodon-repl", null)));
        container.setEnvFrom(new java.util.ArrayList<>(List.of(new EnvFromSourceBuilder().withNewConfigMapRef("app-db", false).build())));
        k.apps().deployments().resource(web).create();
    }

    /** What an operator's cutover needs, except writing the applications' Secrets. */
    static void cutoverRoleWithoutUpdatingAppSecrets(KubernetesClient k) {
        k.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName("operator").endMetadata()
                .addNewRule().withApiGroups("apps").withResources("deployments").withVerbs("get", "list", "watch", "update", "patch").endRule()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch", "create", "update", "patch").endRule()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("get", "create", "delete").endRule()
                .addNewRule().withApiGroups("").withResources("secrets").withResourceNames("pgrelocate-cutover-m2").withVerbs("update", "patch").endRule()
                .build()).create();
        k.rbac().roleBindings().resource(new RoleBindingBuilder().withNewMetadata().withName("operator").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "operator")
                .addNewSubject().withKind("ServiceAccount").withName("operator").withNamespace(k.getNamespace()).endSubject().build()).create();
    }

    static List<EnvVar> env(KubernetesClient k) {
        return k.apps().deployments().withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    }
}
