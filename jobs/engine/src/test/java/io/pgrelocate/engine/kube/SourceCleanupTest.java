package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.cleanup.SourceCleanup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class SourceCleanupTest {
    static final String NS = "apps";
    static final Instant COMPLETED = Instant.parse("2026-11-01T10:00:00Z");
    static final Duration WEEK = Duration.ofDays(7);

    KubernetesClient client;
    final List<String> out = new ArrayList<>();

    @Test
    void refusesWithoutALedger() {
        zalandoCluster();

        assertRefused(cleanup(COMPLETED.plus(Duration.ofDays(8))), "no ledger pgrelocate-ledger-m1");
    }

    @Test
    void refusesBeforeTheMinimumAge() {
        zalandoCluster();
        completedAndValidated();

        assertRefused(cleanup(COMPLETED.plus(Duration.ofDays(2))), "cleanup waits 7 days (PGRELOCATE_CLEANUP_MIN_AGE_DAYS): not before 2026-11-08T10:00:00Z");
    }

    @Test
    void refusesWithoutAPassedValidationAfterCompletion() {
        zalandoCluster();
        store().write(l -> l.moveTo(Ledger.State.COMPLETED, COMPLETED).validated(true, COMPLETED.minusSeconds(60), "before"));

        assertRefused(cleanup(COMPLETED.plus(Duration.ofDays(8))), "no passed validation after the migration completed");
    }

    @Test
    void refusesAMigrationThatDidNotComplete() {
        zalandoCluster();
        store().write(l -> l.moveTo(Ledger.State.ROLLED_BACK, COMPLETED));

        assertRefused(cleanup(COMPLETED.plus(Duration.ofDays(30))), "migration 'm1' is rolled-back, not completed");
    }

    @Test
    void zalandoDryRunListsExactlyTheClustersObjectsAndDeletesNothing() {
        zalandoCluster();
        completedAndValidated();

        List<SourceCleanup.Deletion> plan = cleanup(COMPLETED.plus(Duration.ofDays(8))).run(OldDatabase.parse("zalando/acid-main"), WEEK, Optional.empty());

        assertThat(plan).extracting(Object::toString).containsExactly(
                "postgresql/acid-main",
                "persistentvolumeclaim/pgdata-acid-main-0", "persistentvolumeclaim/pgdata-acid-main-1",
                "service/acid-main", "service/acid-main-repl",
                "secret/postgres.acid-main.credentials.postgresql.acid.zalan.do (if it exists)",
                "secret/standby.acid-main.credentials.postgresql.acid.zalan.do (if it exists)",
                "secret/pooler.acid-main.credentials.postgresql.acid.zalan.do (if it exists)",
                "secret/mastodon-owner.acid-main.credentials.postgresql.acid.zalan.do (if it exists)");
        assertThat(out).last().asString().contains("set PGRELOCATE_CLEANUP_CONFIRM=acid-main");
        assertThat(client.genericKubernetesResources(io.pgrelocate.engine.discover.Discovery.ZALANDO_POSTGRESQL).inNamespace(NS).list().getItems()).hasSize(1);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(3);
    }

    @Test
    void aWrongConfirmationIsStillADryRun() {
        zalandoCluster();
        completedAndValidated();

        cleanup(COMPLETED.plus(Duration.ofDays(8))).run(OldDatabase.parse("zalando/acid-main"), WEEK, Optional.of("yes"));

        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(3);
    }

    @Test
    void bitnamiConfirmedDeletesTheStatefulSetItsClaimsServicesAndChartSecretOnly() {
        bitnamiRelease();
        completedAndValidated();

        List<SourceCleanup.Deletion> plan = cleanup(COMPLETED.plus(Duration.ofDays(8)))
                .run(OldDatabase.parse("bitnami/app-postgresql"), WEEK, Optional.of("app-postgresql"));

        assertThat(plan).extracting(Object::toString).containsExactly("statefulset/app-postgresql",
                "persistentvolumeclaim/data-app-postgresql-0", "service/app-postgresql", "service/app-postgresql-hl",
                "secret/app-postgresql (if it exists)");
        assertThat(out).contains("cleanup: keeping secret/app-db: not created by the chart, it may be shared; delete it yourself if unused");
        assertThat(client.apps().statefulSets().inNamespace(NS).list().getItems()).isEmpty();
        assertThat(names(client.persistentVolumeClaims().inNamespace(NS).list().getItems())).containsExactly("data-app-postgresql-read-0");
        assertThat(names(client.services().inNamespace(NS).list().getItems())).containsExactly("app-web");
        assertThat(names(client.secrets().inNamespace(NS).list().getItems())).containsExactly("app-db");
    }

    @Test
    void aSourceThatIsNotThereIsABadSetting() {
        completedAndValidated();

        assertThatThrownBy(() -> cleanup(COMPLETED.plus(Duration.ofDays(8))).run(OldDatabase.parse("zalando/acid-typo"), WEEK, Optional.empty()))
                .hasMessage("no postgresql acid-typo in namespace apps; nothing was deleted: check PGRELOCATE_CLEANUP_SOURCE")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.BAD_SETTINGS);
        assertThatThrownBy(() -> OldDatabase.parse("helm/x")).hasMessageContaining("is not zalando/<cluster> or bitnami/<statefulset>");
    }

    void zalandoCluster() {
        client.genericKubernetesResources(io.pgrelocate.engine.discover.Discovery.ZALANDO_POSTGRESQL).inNamespace(NS).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("acid.zalan.do/v1").withKind("postgresql").withNewMetadata().withName("acid-main").endMetadata()
                .addToAdditionalProperties("spec", Map.of("teamId", "acid", "users", Map.of("mastodon_owner", List.of("createdb"))))
                .build()).create();
        for (String pvc : List.of("pgdata-acid-main-0", "pgdata-acid-main-1")) {
            client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(pvc)
                    .addToLabels("application", "spilo").addToLabels("cluster-name", "acid-main").endMetadata().build()).create();
        }
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("web-uploads").addToLabels("app", "web").endMetadata().build()).create();
        for (String svc : List.of("acid-main", "acid-main-repl", "web")) {
            client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(svc).endMetadata().build()).create();
        }
        for (String secret : List.of("mastodon-owner.acid-main.credentials.postgresql.acid.zalan.do",
                "postgres.acid-main.credentials.postgresql.acid.zalan.do", "web-env")) {
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata().build()).create();
        }
    }

    void bitnamiRelease() {
        Map<String, String> pod = Map.of("app.kubernetes.io/name", "postgresql", "app.kubernetes.io/instance", "app",
                "app.kubernetes.io/component", "primary");
        client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder().withNewMetadata().withName("app-postgresql")
                .withLabels(pod).endMetadata().withNewSpec().withNewSelector().withMatchLabels(pod).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(pod).endMetadata().withNewSpec().addNewContainer().withName("postgresql")
                .addNewEnv().withName("POSTGRES_PASSWORD").withNewValueFrom().withNewSecretKeyRef("postgres-password", "app-postgresql", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("APP_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "app-db", false).endValueFrom().endEnv()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate()
                .endSpec().build()).create();
        for (String pvc : List.of("data-app-postgresql-0", "data-app-postgresql-read-0")) {
            client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(pvc)
                    .endMetadata().build()).create();
        }
        Map<String, String> selector = Map.of("app.kubernetes.io/name", "postgresql", "app.kubernetes.io/instance", "app");
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("app-postgresql").endMetadata()
                .withNewSpec().withSelector(selector).endSpec().build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("app-postgresql-hl").endMetadata()
                .withNewSpec().withSelector(selector).endSpec().build()).create();
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("app-web").endMetadata()
                .withNewSpec().withSelector(Map.of("app.kubernetes.io/instance", "app", "app.kubernetes.io/name", "web")).endSpec().build()).create();
        for (String secret : List.of("app-postgresql", "app-db")) {
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata().build()).create();
        }
    }

    void completedAndValidated() {
        store().write(l -> l.moveTo(Ledger.State.COMPLETED, COMPLETED).validated(true, COMPLETED.plusSeconds(600), "0 differences"));
    }

    LedgerStore store() {
        return new LedgerStore(client, NS, "m1");
    }

    SourceCleanup cleanup(Instant now) {
        return new SourceCleanup(client, store(), out::add, Clock.fixed(now, ZoneOffset.UTC));
    }

    void assertRefused(SourceCleanup cleanup, String message) {
        int before = client.persistentVolumeClaims().inNamespace(NS).list().getItems().size();
        assertThatThrownBy(() -> cleanup.run(OldDatabase.parse("zalando/acid-main"), WEEK, Optional.of("acid-main")))
                .hasMessageContaining(message).hasMessageEndingWith("; nothing was deleted")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.LEDGER);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).list().getItems()).hasSize(before);
    }

    static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
    }
}
