package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pgrelocate.engine.discover.Discovery;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.KubeApplications;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.HostRewrite;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.kube.OldDatabase;
import io.pgrelocate.engine.cleanup.SourceCleanup;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.RealKubernetes;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every job under its own Role: the dev overlay applied to a real API server, each job's code path run
 * with a token of the job's ServiceAccount. What it does must be allowed; what it must never do gets a
 * real 403. (RbacAllowListTest is the fast check of the same Roles as text.)
 */
@ExtendWith(RealKubernetes.class)
class JobRolesOnRealServerTest {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final Clock CLOCK = Clock.systemUTC();

    @Test
    void migrationFreezesAndThawsDeploymentsAndStatefulSetsThroughScaleAndCanDoNothingElse(KubeNamespace ns) {
        Render dev = DevOverlayOnServer.applyTo(ns);
        KubernetesClient admin = ns.admin();
        admin.apps().deployments().resource(FakeWorkloadController.deployment("web", 3)).create();
        admin.apps().statefulSets().resource(FakeWorkloadController.statefulSet("worker", 2)).create();
        ns.fakeKubelet();
        await().atMost(TIMEOUT).until(() -> ready(admin, "web") == 3 && ready(admin, "worker") == 2);
        KubernetesClient job = ns.as("pgrelocate-migration");
        List<WorkloadRef> apps = WorkloadRef.parseAll(List.of("deployment/web", "statefulset/worker"));
        LedgerStore store = new LedgerStore(job, ns.name(), DevOverlayOnServer.migration(dev));
        KubeApplications window = new KubeApplications(new AppFreezer(job, store, line -> { }, CLOCK), apps, TIMEOUT, TIMEOUT, CLOCK);

        window.check();
        window.freeze();
        // the controllers took the pods away: the Deployment's ReplicaSet and the StatefulSet are at 0
        assertThat(admin.pods().list().getItems()).isEmpty();
        assertThat(admin.apps().replicaSets().list().getItems()).singleElement().satisfies(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
        window.reached("copied");
        window.thaw();

        assertThat(ready(admin, "web")).isEqualTo(3);
        assertThat(ready(admin, "worker")).isEqualTo(2);
        assertThat(store.read().orElseThrow().state()).isEqualTo(Ledger.State.COMPLETED);
        String pod = admin.pods().list().getItems().get(0).getMetadata().getName();
        new Forbidden()
                // the cutover Role lets it update the Deployments' templates; the ConfigMaps and Secrets the applications
                // read only by name, for one run (CutoverGrant); never list or delete them
                .call("list Secrets", () -> job.secrets().list())
                .call("list ConfigMaps", () -> job.configMaps().list())
                .call("read a Secret the applications do not reference", () -> job.secrets().withName("pgrelocate-source").get())
                .call("read the settings ConfigMap", () -> job.configMaps().withName("pgrelocate-settings").get())
                .call("delete a Secret", () -> job.secrets().withName("pgrelocate-source").delete())
                .call("patch a Deployment", () -> job.apps().deployments().withName("web").patch(MERGE, "{\"spec\":{\"paused\":true}}"))
                .call("delete a pod", () -> job.pods().withName(pod).delete())
                .call("delete a Deployment", () -> job.apps().deployments().withName("web").delete())
                .call("list namespaces (cluster-scoped)", () -> job.namespaces().list())
                .call("list nodes (cluster-scoped)", () -> job.nodes().list())
                .verify();
    }

    @Test
    void migrationCutsTheApplicationsOverInTheWindowUnderItsOwnRoles(KubeNamespace ns) {
        Render dev = DevOverlayOnServer.applyTo(ns);
        KubernetesClient admin = ns.admin();
        admin.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("app-db").endMetadata()
                .addToData("DATABASE_URL", "postgres://app@acid-main:5432/app?sslmode=require").build()).create();
        var web = FakeWorkloadController.deployment("web", 2);
        var container = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        container.setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar("DB_HOST", "acid-main", null)));
        container.setEnvFrom(List.of(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder().withNewConfigMapRef("app-db", false).build()));
        admin.apps().deployments().resource(web).create();
        ns.fakeKubelet();
        await().atMost(TIMEOUT).until(() -> ready(admin, "web") == 2);
        KubernetesClient job = ns.as("pgrelocate-migration");
        LedgerStore store = new LedgerStore(job, ns.name(), DevOverlayOnServer.migration(dev));
        List<WorkloadRef> apps = WorkloadRef.parseAll(List.of("deployment/web"));
        // what pgrelocate run migration grants for the run: the ConfigMap the application reads, by name
        new io.pgrelocate.engine.kube.CutoverGrant(admin, ns.name(), DevOverlayOnServer.migration(dev)).grant(apps, null);
        HostRewrite rewrite = new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=main-pooler-rw")), ns.name());
        KubeApplications window = new KubeApplications(new AppFreezer(job, store, line -> { }, CLOCK), apps, TIMEOUT, TIMEOUT, CLOCK)
                .cuttingOver(new Cutover(job, store, line -> { }, CLOCK), rewrite);

        assertThat(window.check()).contains("cut over: rewrite deployment/web container web env DB_HOST",
                "cut over: rewrite configmap/app-db configmap DATABASE_URL");
        window.freeze();
        window.cutOver();
        window.thaw();

        assertThat(admin.apps().deployments().withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .singleElement().satisfies(v -> assertThat(v.getValue()).isEqualTo("main-pooler-rw"));
        assertThat(admin.configMaps().withName("app-db").get().getData())
                .containsEntry("DATABASE_URL", "postgres://app@main-pooler-rw:5432/app?sslmode=require");
        assertThat(ready(admin, "web")).isEqualTo(2);
        assertThat(store.read().orElseThrow().state()).isEqualTo(Ledger.State.COMPLETED);
    }

    @Test
    void validationRecordsItsResultBesideAConcurrentMigrationWriterAndCanDoNothingElse(KubeNamespace ns) throws Exception {
        Render dev = DevOverlayOnServer.applyTo(ns);
        String migration = DevOverlayOnServer.migration(dev);
        LedgerStore byMigration = new LedgerStore(ns.as("pgrelocate-migration"), ns.name(), migration);
        byMigration.write(l -> l.moveTo(Ledger.State.COMPLETED, CLOCK.instant()));
        KubernetesClient job = ns.as("pgrelocate-validation");
        LedgerStore byValidation = new LedgerStore(job, ns.name(), migration);

        // compare-and-swap: two jobs write the same ledger at once, and no write is lost
        CompletableFuture<Void> phases = CompletableFuture.runAsync(() -> IntStream.range(0, 8)
                .forEach(i -> byMigration.write(l -> l.phase("migration-" + i, CLOCK.instant()))));
        IntStream.range(0, 8).forEach(i -> byValidation.write(l -> l.validated(true, CLOCK.instant(), "run " + i)
                .phase("validation-" + i, CLOCK.instant())));
        phases.get();

        Ledger ledger = byValidation.read().orElseThrow();
        assertThat(ledger.phases().keySet()).containsAll(IntStream.range(0, 8).boxed()
                .flatMap(i -> java.util.stream.Stream.of("migration-" + i, "validation-" + i)).toList());
        assertThat(ledger.validation().summary()).isEqualTo("run 7");
        assertThat(ledger.state()).isEqualTo(Ledger.State.COMPLETED);
        new Forbidden()
                .call("create a ConfigMap (another migration's ledger)", () -> job.configMaps().resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("pgrelocate-ledger-other").endMetadata().build()).create())
                .call("read the settings ConfigMap", () -> job.configMaps().withName("pgrelocate-settings").get())
                .call("read a Secret", () -> job.secrets().withName("pgrelocate-target").get())
                .call("list pods", () -> job.pods().list())
                .call("scale a Deployment", () -> job.apps().deployments().withName("web").scale(0))
                .call("list namespaces (cluster-scoped)", () -> job.namespaces().list())
                .verify();
    }

    @Test
    void cleanupDeletesExactlyTheOldClustersObjectsWithoutReadingASecret(KubeNamespace ns) {
        ns.crd("crds/zalando-postgresqls.crd.yaml");
        Render dev = DevOverlayOnServer.applyTo(ns);
        KubernetesClient admin = ns.admin();
        new SourceFixtures(admin, ns.name()).zalandoCluster();
        // what the operator would own and Kubernetes collects once the postgresql resource is gone
        var postgresql = admin.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).withName("acid-shop").get();
        admin.apps().statefulSets().withName("acid-shop").edit(s -> {
            s.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("acid.zalan.do/v1").withKind("postgresql")
                    .withName("acid-shop").withUid(postgresql.getMetadata().getUid()).withController(true).build()));
            return s;
        });
        List.of("pgdata-acid-shop-0", "pgdata-acid-shop-1").forEach(n -> claim(admin, n, Map.of("application", "spilo", "cluster-name", "acid-shop")));
        // what must survive: the applications' own volume, Service and Secret, and pgrelocate's settings
        claim(admin, "uploads", Map.of("app", "web"));
        admin.services().resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        admin.secrets().resource(new SecretBuilder().withNewMetadata().withName("web-secrets").endMetadata()
                .addToStringData("key", "value").build()).create();
        String migration = DevOverlayOnServer.migration(dev);
        new LedgerStore(ns.as("pgrelocate-migration"), ns.name(), migration).write(l -> l.moveTo(Ledger.State.COMPLETED, CLOCK.instant()));
        new LedgerStore(ns.as("pgrelocate-validation"), ns.name(), migration).write(l -> l.validated(true, CLOCK.instant().plusSeconds(1), "ok"));
        KubernetesClient job = ns.as("pgrelocate-cleanup");
        Clock eightDaysLater = Clock.offset(CLOCK, Duration.ofDays(8));
        SourceCleanup cleanup = new SourceCleanup(job, new LedgerStore(job, ns.name(), migration), line -> { }, eightDaysLater);

        cleanup.run(OldDatabase.parse("zalando/acid-shop"), Duration.ofDays(7), Optional.of("acid-shop"));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(admin.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).list().getItems()).isEmpty();
            assertThat(names(admin.persistentVolumeClaims().list().getItems())).containsExactly("uploads");
            assertThat(names(admin.services().list().getItems())).containsExactly("web");
            assertThat(names(admin.secrets().list().getItems())).containsExactly("web-secrets");
            assertThat(admin.apps().statefulSets().list().getItems()).as("garbage-collected with its owner").isEmpty();
        });
        assertThat(admin.configMaps().withName("pgrelocate-settings").get()).isNotNull();
        assertThat(new LedgerStore(admin, ns.name(), migration).read().orElseThrow().phases()).containsKey("cleaned-up");
        assertThat(admin.batch().v1().cronjobs().list().getItems()).hasSize(5);
        new Forbidden()
                .call("read a Secret", () -> job.secrets().withName("web-secrets").get())
                .call("list Secrets", () -> job.secrets().list())
                .call("delete a ConfigMap", () -> job.configMaps().withName("pgrelocate-settings").delete())
                .call("delete a Deployment", () -> job.apps().deployments().withName("web").delete())
                .call("delete a CronJob", () -> job.batch().v1().cronjobs().withName("pgrelocate-migration").delete())
                .call("delete a pod", () -> job.pods().withName("any").delete())
                .call("list namespaces (cluster-scoped)", () -> job.namespaces().list())
                .verify();
    }

    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private static int ready(KubernetesClient k, String app) {
        HasMetadata w = k.apps().deployments().withName(app).get();
        Integer ready = w != null ? k.apps().deployments().withName(app).get().getStatus().getReadyReplicas()
                : readyOf(k.apps().statefulSets().withName(app).get());
        return ready == null ? 0 : ready;
    }

    private static Integer readyOf(StatefulSet s) {
        return s == null || s.getStatus() == null ? null : s.getStatus().getReadyReplicas();
    }

    private static void claim(KubernetesClient k, String name, Map<String, String> labels) {
        k.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build()).create();
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }
}
