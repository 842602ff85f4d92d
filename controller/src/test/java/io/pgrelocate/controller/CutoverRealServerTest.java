package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.RealKubernetes;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 on a real API server with its controller-manager: the Deployment controller writes the
 * Deployment between pgrelocate's calls, and a cutover must neither fail on that nor stop half-way.
 */
@ExtendWith(RealKubernetes.class)
class CutoverRealServerTest {
    static final String PASSWORD = "w0rker-Pa55";
    static final String URL = "postgres://mastodon@acid-mastodon:5432/mastodon?sslmode=require";

    // the controller's write lands between two calls only in about half the runs: three runs catch a regression almost always
    @RepeatedTest(3)
    void cutoverOfTwoEnvValuesAndAConfigMapCompletesWhileTheControllerWritesTheDeployment(KubeNamespace ns) {
        KubernetesClient k = ns.admin();
        Cli cli = frozenMastodon(ns, "m2");

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
        frozenMastodon(ns, "m2");
        k.secrets().resource(new SecretBuilder().withNewMetadata().withName("app-db-credentials").endMetadata()
                .addToStringData("DATABASE_URL_WITH_PASSWORD", "postgres://mastodon:pw@acid-mastodon:5432/mastodon").build()).create();
        // the Deployment controller writes the status too: a 409 on this edit means it was not applied, so try again
        await().atMost(Duration.ofSeconds(30)).ignoreException(KubernetesClientException.class).until(() -> {
            k.apps().deployments().withName("web").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom()
                        .add(new EnvFromSourceBuilder().withNewSecretRef("app-db-credentials", false).build());
                return d;
            });
            return true;
        });
        ns.newAccount("operator");
        cutoverRoleWithoutUpdatingAppSecrets(k);
        PodTemplateSpec templateBefore = k.apps().deployments().withName("web").get().getSpec().getTemplate();
        Map<String, String> configBefore = k.configMaps().withName("app-db").get().getData();
        Map<String, String> secretBefore = k.secrets().withName("app-db-credentials").get().getData();
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

    @Test
    void aCutoverOfRunningAppsReturnsOnlyWhenEveryReadyPodHasTheNewSettings(KubeNamespace ns) {
        KubernetesClient k = ns.admin();
        Cli cli = frozenMastodon(ns, "m4");
        assertThat(cli.run("thaw", "--migration", "m4", "--timeout", "60s")).as(cli.err()).isZero();

        assertThat(cli.run("cutover", "--migration", "m4", "--host", "acid-mastodon=db-pooler-rw", "--timeout", "60s")).as(cli.err()).isZero();

        // no pod of the old template is left to serve with the source's settings
        Deployment web = k.apps().deployments().withName("web").get();
        assertThat(web.getStatus().getObservedGeneration()).isEqualTo(web.getMetadata().getGeneration());
        assertThat(List.of(web.getStatus().getReplicas(), web.getStatus().getUpdatedReplicas(), web.getStatus().getReadyReplicas()))
                .containsExactly(2, 2, 2);
    }

    @Test
    void rollbackPutsDeploymentAndStatefulSetTemplatesConfigMapsAndSecretsBackByteForByte(KubeNamespace ns) {
        KubernetesClient k = ns.admin();
        mastodon(k);
        k.secrets().resource(new SecretBuilder().withNewMetadata().withName("worker-db").endMetadata()
                .addToStringData("url", "postgresql://worker:" + PASSWORD + "@acid-mastodon.%s.svc:5432/mastodon".formatted(ns.name()))
                .addToStringData("password", PASSWORD).build()).create();
        StatefulSet worker = FakeWorkloadController.statefulSet("worker", 1);
        worker.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(new EnvVar("REDIS_HOST", "redis", null),
                new EnvVarBuilder().withName("DATABASE_URL").withNewValueFrom().withNewSecretKeyRef("url", "worker-db", false).endValueFrom().build()));
        k.apps().statefulSets().resource(worker).create();
        ns.fakeKubelet();
        await().atMost(Duration.ofSeconds(60)).until(() -> ready(k) == 3);
        String before = stored(k);
        Cli cli = Cli.against(ns.kubeconfig());
        assertThat(cli.run("freeze", "--migration", "m3", "--workload", "deployment/web", "--workload", "statefulset/worker", "--timeout", "60s"))
                .as(cli.err()).isZero();

        assertThat(cli.run("cutover", "--migration", "m3", "--host", "acid-mastodon=db-pooler-rw", "--host", "acid-mastodon-repl=db-pooler-ro",
                "--timeout", "60s")).as(cli.err()).isZero();
        assertThat(env(k)).extracting(EnvVar::getValue).containsExactly("db-pooler-rw", "db-pooler-ro");
        assertThat(k.secrets().withName("worker-db").get().getData().get("url")).isEqualTo(base64(
                "postgresql://worker:" + PASSWORD + "@db-pooler-rw.%s.svc:5432/mastodon".formatted(ns.name())));
        assertThat(k.configMaps().withName("pgrelocate-ledger-m3").get().getData().toString()).doesNotContain(PASSWORD);

        cli.clear();
        assertThat(cli.run("rollback", "--migration", "m3", "--timeout", "60s")).as(cli.err()).isZero();

        // the applications are stopped before any setting goes back: never pods on the target and on the source at once
        String log = cli.out();
        assertThat(log.indexOf("rollback: all pods gone")).as(log).isNotNegative().isLessThan(log.indexOf(" restored"));
        assertThat(k.configMaps().withName("pgrelocate-ledger-m3").get().getData().toString()).contains("stopped-for-rollback");
        assertThat(stored(k)).isEqualTo(before);
        assertThat(ready(k)).isEqualTo(3);
        // the Deployment is back on its first ReplicaSet, the one of the unchanged template
        assertThat(k.apps().replicaSets().list().getItems()).filteredOn(rs -> rs.getSpec().getReplicas() > 0).singleElement()
                .satisfies(rs -> assertThat(rs.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3"));
    }

    /** The applications, made ready by the fake kubelet, then frozen with the CLI that is returned (admin). */
    static Cli frozenMastodon(KubeNamespace ns, String migration) {
        mastodon(ns.admin());
        ns.fakeKubelet();
        Cli cli = Cli.against(ns.kubeconfig());
        assertThat(cli.run("freeze", "--migration", migration, "--workload", "deployment/web", "--timeout", "60s")).as(cli.err()).isZero();
        cli.clear();
        return cli;
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

    /** Everything a cutover may touch, as the API server stores it: pod templates, ConfigMap and Secret data. */
    static String stored(KubernetesClient k) {
        return Serialization.asJson(List.of(k.apps().deployments().withName("web").get().getSpec().getTemplate(),
                k.apps().statefulSets().withName("worker").get().getSpec().getTemplate(),
                k.configMaps().withName("app-db").get().getData(), k.secrets().withName("worker-db").get().getData()));
    }

    static int ready(KubernetesClient k) {
        Integer web = k.apps().deployments().withName("web").get().getStatus().getReadyReplicas();
        Integer worker = k.apps().statefulSets().withName("worker").get().getStatus().getReadyReplicas();
        return (web == null ? 0 : web) + (worker == null ? 0 : worker);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<EnvVar> env(KubernetesClient k) {
        return k.apps().deployments().withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    }
}
