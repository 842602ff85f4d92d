package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.Migration;
import io.pgrelocate.engine.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.switchover.WindowReport;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dump strategy with a cutover: the applications come back already on the target, the source stays fenced. */
@EnableKubernetesMockClient(crud = true)
class WindowWithAppsTest {
    static final String NS = "shop";
    static final List<WorkloadRef> WEB = List.of(WorkloadRef.parse("deployment/web"));

    KubernetesClient client;
    FakeWorkloadController controller;
    final List<String> out = new CopyOnWriteArrayList<>();
    final LocalPostgres pg = TestServers.pg15();
    String source;
    String target;

    @BeforeEach
    void setUp() {
        Deployment web = FakeWorkloadController.deployment("web", 3);
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                new EnvVarBuilder().withName("DATABASE_URL").withValue("postgres://app@acid-main:5432/app").build()));
        client.apps().deployments().inNamespace(NS).resource(web).create();
        controller = new FakeWorkloadController(client, NS);
        await().until(() -> pods() == 3);
        source = TestServers.freshDatabase(pg, "cut_src");
        target = TestServers.freshDatabase(pg, "cut_dst");
        pg.executeSql(source, "CREATE TABLE toots(id int PRIMARY KEY, body text); INSERT INTO toots SELECT g, 'toot ' || g FROM generate_series(1, 1000) g");
    }

    @AfterEach
    void tearDown() {
        controller.close();
    }

    @Test
    void theAppsComeBackOnTheTargetAndTheSourceStaysFenced() {
        MigrationReport r = migrate(false);

        assertThat(r.exitCode()).as(Summary.of(r)).isZero();
        assertThat(databaseUrl()).isEqualTo("postgres://app@main-rw:5432/app");
        assertThat(replicas()).isEqualTo(3);
        await().until(() -> pods() == 3);
        Ledger ledger = store().read().orElseThrow();
        assertThat(ledger.state()).isEqualTo(Ledger.State.COMPLETED);
        assertThat(ledger.fence()).isNotNull();
        assertThat(ledger.cutover()).isNotEmpty();
        assertThat(ledger.phases().keySet()).containsSubsequence("frozen", "pods-gone", "fenced", "synced", "verified", "cut-over",
                "target-live", "thaw-started", "apps-ready");
        assertThat(fenced()).isTrue();
        assertThat(WindowReport.of(ledger.phases(), null)).get().extracting(WindowReport::mode).isEqualTo("switch");
        assertThat(out.indexOf("switchover: target is live")).isLessThan(out.indexOf("thaw: deployment/web → 3"));
    }

    @Test
    void aRestoreThatFailsInTheWindowLeavesTheAppsOnAWritableSource() {
        pg.executeSql(target, "CREATE TABLE toots(other text)");

        MigrationReport r = migrate(true);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(databaseUrl()).isEqualTo("postgres://app@acid-main:5432/app");
        assertThat(replicas()).isEqualTo(3);
        await().until(() -> pods() == 3);
        Ledger ledger = store().read().orElseThrow();
        assertThat(ledger.state()).isEqualTo(Ledger.State.ROLLED_BACK);
        assertThat(ledger.fence()).isNull();
        assertThat(fenced()).isFalse();
        pg.executeSql(source, "INSERT INTO toots VALUES (1001, 'after the failed window')");
    }

    MigrationReport migrate(boolean allowNonEmpty) {
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), false), allowNonEmpty);
        ClusterDowntime apps = new ClusterDowntime(new AppFreezer(client, store(), out::add, Clock.systemUTC()), WEB,
                Duration.ofSeconds(20), Duration.ofSeconds(20), Clock.systemUTC())
                .cuttingOver(new Cutover(client, store(), out::add, Clock.systemUTC()),
                        new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=main-rw")), NS));
        return new Migration(settings, out::add, Clock.systemUTC()).migrate(false, apps);
    }

    boolean fenced() {
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            return Fence.read(db).isPresent();
        }
    }

    LedgerStore store() {
        return new LedgerStore(client, NS, "m1");
    }

    String databaseUrl() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().get(0).getValue();
    }

    int replicas() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas();
    }

    int pods() {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().size();
    }
}
