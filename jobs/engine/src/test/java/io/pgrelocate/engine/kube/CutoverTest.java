package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Cutover rewrites exactly the settings that name the source; rollback restores them byte for byte. */
@EnableKubernetesMockClient(crud = true)
class CutoverTest {
    static final String NS = "shop";
    static final String PASSWORD = "s3cret-Pa55";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final List<WorkloadRef> APPS = WorkloadRef.parseAll(List.of("deployment/web", "deployment/worker"));

    KubernetesClient client;
    FakeWorkloadController controller;
    final List<String> out = new ArrayList<>();
    final HostRewrite toCnpg = new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=main-pooler-rw"),
            HostRewrite.Mapping.parse("acid-main-repl=main-pooler-ro")), NS);

    @BeforeEach
    void apps() {
        Deployment web = FakeWorkloadController.deployment("web", 2);
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                env("DATABASE_URL", "postgres://app@acid-main:5432/app"),
                env("DB_RO_HOST", "acid-main-repl.shop.svc"),
                env("CACHE_HOST", "acid-main-replica-cache"),
                new EnvVarBuilder().withName("DB_URL_WITH_PASSWORD").withNewValueFrom().withNewSecretKeyRef("url", "web-db", false)
                        .endValueFrom().build()));
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(
                new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef("web-config", false).build()));
        client.apps().deployments().inNamespace(NS).resource(web).create();
        Deployment worker = FakeWorkloadController.deployment("worker", 1);
        worker.getSpec().getTemplate().getSpec().getContainers().get(0).setEnvFrom(List.of(
                new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef("web-config", false).build()));
        client.apps().deployments().inNamespace(NS).resource(worker).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("web-config").endMetadata()
                .withData(Map.of("DB_HOST", "acid-main", "LOG_LEVEL", "info")).build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("web-db").endMetadata()
                .withData(Map.of("url", b64("postgresql://app:" + PASSWORD + "@acid-main.shop.svc.cluster.local:5432/app"),
                        "password", b64(PASSWORD))).build()).create();
        new LedgerStore(client, NS, "m1").write(l -> l.moveTo(Ledger.State.COMPLETED, Clock.systemUTC().instant()));
        controller = new FakeWorkloadController(client, NS);
        await().until(() -> client.pods().inNamespace(NS).list().getItems().size() == 3);
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    @Test
    void cutoverRewritesOnlyTheSourceHostsAndRecordsNoSecretInTheLedger() {
        Ledger ledger = cutover().apply(APPS, toCnpg, TIMEOUT);

        assertThat(env("web")).extracting(EnvVar::getName, EnvVar::getValue).contains(
                org.assertj.core.groups.Tuple.tuple("DATABASE_URL", "postgres://app@main-pooler-rw:5432/app"),
                org.assertj.core.groups.Tuple.tuple("DB_RO_HOST", "main-pooler-ro.shop.svc"),
                org.assertj.core.groups.Tuple.tuple("CACHE_HOST", "acid-main-replica-cache"));
        assertThat(client.configMaps().inNamespace(NS).withName("web-config").get().getData())
                .containsEntry("DB_HOST", "main-pooler-rw").containsEntry("LOG_LEVEL", "info");
        assertThat(secret("web-db")).containsEntry("url", "postgresql://app:" + PASSWORD + "@main-pooler-rw.shop.svc.cluster.local:5432/app")
                .containsEntry("password", PASSWORD);
        assertThat(ledger.state()).isEqualTo(Ledger.State.CUT_OVER);
        assertThat(ledger.cutover()).extracting(Object::toString).contains("deployment/web container web env DATABASE_URL",
                "configmap/web-config configmap DB_HOST", "secret/web-db secret url");
        assertThat(client.configMaps().inNamespace(NS).withName("pgrelocate-ledger-m1").get().getData().get("ledger.json")).doesNotContain(PASSWORD);
        assertThat(String.join("\n", out)).doesNotContain(PASSWORD);
        assertThat(client.apps().deployments().inNamespace(NS).withName("worker").get().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey(Cutover.RESTARTED_AT);
    }

    @Test
    void aSecondCutoverIsRefusedAndAppsThatNameNoSourceAreABadSetting() {
        cutover().apply(APPS, toCnpg, TIMEOUT);
        assertThatThrownBy(() -> cutover().apply(APPS, toCnpg, TIMEOUT)).hasMessageContaining("is already cut over")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.LEDGER);

        HostRewrite unrelated = new HostRewrite(List.of(HostRewrite.Mapping.parse("other-db=x")), NS);
        cutover().revert(TIMEOUT);
        assertThatThrownBy(() -> cutover().apply(APPS, unrelated, TIMEOUT)).hasMessageContaining("names a source host; nothing was changed")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.BAD_SETTINGS);
    }

    Cutover cutover() {
        return new Cutover(client, new LedgerStore(client, NS, "m1"), out::add, Clock.systemUTC());
    }

    List<EnvVar> env(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    }

    Map<String, String> secret(String name) {
        Map<String, String> decoded = new java.util.LinkedHashMap<>();
        client.secrets().inNamespace(NS).withName(name).get().getData()
                .forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return decoded;
    }

    static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
