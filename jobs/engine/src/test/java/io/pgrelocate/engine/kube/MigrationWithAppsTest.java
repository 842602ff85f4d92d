package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.switchover.WindowReport;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.pgrelocate.engine.testing.FakeWorkloadController.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The migration job's runbook against real PostgreSQL servers and a mock API server: apps always come back;
 * with a cutover they come back already on the target, the source fenced.
 */
@EnableKubernetesMockClient(crud = true)
class MigrationWithAppsTest {
    static final String NS = "apps";
    static final List<WorkloadRef> WEB = List.of(WorkloadRef.parse("deployment/web"));

    KubernetesClient client;
    FakeWorkloadController controller;
    final List<String> out = new CopyOnWriteArrayList<>();
    final LocalPostgres pg = TestServers.pg15();
    String source;
    String target;

    @BeforeEach
    void setUp() {
        Deployment web = deployment("web", 3);
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                new EnvVarBuilder().withName("DATABASE_URL").withValue("postgres://app@acid-main:5432/app").build()));
        client.apps().deployments().inNamespace(NS).resource(web).create();
        controller = new FakeWorkloadController(client, NS);
        await().until(() -> pods() == 3);
        source = TestServers.freshDatabase(pg, "apps_src");
        target = TestServers.freshDatabase(pg, "apps_dst");
        pg.executeSql(source, "CREATE TABLE toots(id int PRIMARY KEY, body text); INSERT INTO toots SELECT g, 'toot ' || g FROM generate_series(1, 1000) g");
    }

    @AfterEach
    void tearDown() {
        controller.close();
    }

    @Test
    void appsAreStoppedForTheCopyAndBackAfterwardsAndTheLedgerSaysCompleted() throws SQLException {
        // the copy must see the app stopped: record the pod count at the moment the copy starts
        List<Integer> podsDuringCopy = new CopyOnWriteArrayList<>();
        MigrationReport r = migrate(TestServers.spec(pg, source), line -> {
            if (line.startsWith("dump:") || line.startsWith("copy")) {
                podsDuringCopy.add(pods());
            }
        });

        assertThat(r.exitCode()).as(Summary.of(r)).isZero();
        assertThat(podsDuringCopy).isNotEmpty().containsOnly(0);
        assertThat(count(target)).isEqualTo(1000);
        assertThat(replicas()).isEqualTo(3);
        assertThat(pods()).isEqualTo(3);
        Ledger ledger = store().read().orElseThrow();
        assertThat(ledger.state()).isEqualTo(Ledger.State.COMPLETED);
        assertThat(ledger.phases().keySet()).containsSubsequence("frozen", "pods-gone", "fenced", "synced", "verified", "unfenced",
                "thaw-started", "thawed", "completed");
        // no cutover hosts: the applications went back onto the source, so the ledger keeps what a later cutover checks
        assertThat(ledger.fence()).isNull();
        assertThat(ledger.verifiedCopy().tables()).containsKey("public.toots");
        assertThat(r.window().mode()).isEqualTo("return");
        assertThat(r.apps()).isEqualTo(ledger);
        assertThat(Summary.of(r)).contains("apps    ledger apps/pgrelocate-ledger-m1: completed, deployment/web 3 replica(s)");
    }

    @Test
    void aFailedRestoreBringsTheAppsBackAndLeavesTheSourceUntouched() throws SQLException {
        pg.executeSql(target, "CREATE TABLE toots(other text)");

        MigrationReport r = migrate(TestServers.spec(pg, source), line -> { }, true);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(replicas()).isEqualTo(3);
        assertThat(pods()).isEqualTo(3);
        assertThat(store().read().orElseThrow().state()).isEqualTo(Ledger.State.ROLLED_BACK);
        assertThat(count(source)).isEqualTo(1000);
    }

    @Test
    void anUnreachableDatabaseStopsEverythingBeforeAnyScaleDown() {
        ConnectionSpec unreachable = ConnectionSpec.parse("postgresql://postgres@127.0.0.1:1/" + source);

        MigrationReport r = migrate(unreachable, line -> { });

        assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(replicas()).isEqualTo(3);
        assertThat(store().read()).isEmpty();
    }

    @Test
    void anUnknownWorkloadStopsEverythingBeforeAnyScaleDown() throws SQLException {
        List<WorkloadRef> typo = WorkloadRef.parseAll(List.of("deployment/web", "deployment/wbe"));
        MigrationSettings settings = settings(TestServers.spec(pg, source), false);

        MigrationReport r = new Migration(settings, out::add, Clock.systemUTC()).migrate(false, downtime(typo));

        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.error()).isEqualTo("deployment/wbe not found in namespace apps; nothing was changed: check PGRELOCATE_WORKLOADS / --workload");
        assertThat(replicas()).isEqualTo(3);
        assertThat(store().read()).isEmpty();
        assertThat(tables(target)).isZero();
    }

    @Test
    void aDryRunSaysWhatItWouldFreezeAndTouchesNothing() throws SQLException {
        MigrationReport r = new Migration(settings(TestServers.spec(pg, source), false), out::add, Clock.systemUTC())
                .migrate(true, downtime(WEB));

        assertThat(r.exitCode()).isZero();
        assertThat(out).contains("dry run: would freeze deployment/web: record 3 replica(s), scale 3 → 0");
        assertThat(replicas()).isEqualTo(3);
        assertThat(store().read()).isEmpty();
        assertThat(tables(target)).isZero();
    }

    @Test
    void theAppsComeBackOnTheTargetAndTheSourceStaysFenced() {
        MigrationReport r = migrateWithCutover(false);

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
        // the story in kubectl get events, in order, on the ledger
        assertThat(events()).containsSubsequence("Normal Frozen", "Normal PodsGone", "Normal Fenced", "Normal Synced", "Normal Verified",
                "Normal TargetLive", "Normal Thawed", "Normal Completed");
    }

    /** "type reason" of the Events on the ledger, oldest first. */
    List<String> events() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(store().name()))
                .sorted(java.util.Comparator.comparing(io.fabric8.kubernetes.api.model.Event::getFirstTimestamp)
                        .thenComparing(e -> e.getMetadata().getName()))
                .map(e -> e.getType() + " " + e.getReason()).toList();
    }

    @Test
    void aRestoreThatFailsInTheWindowLeavesTheAppsOnAWritableSource() {
        pg.executeSql(target, "CREATE TABLE toots(other text)");

        MigrationReport r = migrateWithCutover(true);

        assertThat(r.exitCode()).isEqualTo(ExitCode.COPY_FAILED.code());
        assertThat(databaseUrl()).isEqualTo("postgres://app@acid-main:5432/app");
        assertThat(replicas()).isEqualTo(3);
        await().until(() -> pods() == 3);
        Ledger ledger = store().read().orElseThrow();
        assertThat(ledger.state()).isEqualTo(Ledger.State.ROLLED_BACK);
        assertThat(ledger.fence()).isNull();
        assertThat(fenced()).isFalse();
        assertThat(events()).containsSubsequence("Normal Frozen", "Normal Fenced", "Warning RolledBack", "Warning MigrationFailed");
        pg.executeSql(source, "INSERT INTO toots VALUES (1001, 'after the failed window')");
    }

    MigrationReport migrateWithCutover(boolean allowNonEmpty) {
        KubeApplications apps = downtime(WEB).cuttingOver(new Cutover(client, store(), out::add, Clock.systemUTC()),
                new HostRewrite(List.of(HostRewrite.Mapping.parse("acid-main=main-rw")), NS));
        return new Migration(settings(TestServers.spec(pg, source), allowNonEmpty), out::add, Clock.systemUTC()).migrate(false, apps);
    }

    boolean fenced() {
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            return Fence.read(db).isPresent();
        }
    }

    String databaseUrl() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().get(0).getValue();
    }

    MigrationReport migrate(ConnectionSpec src, java.util.function.Consumer<String> spy) {
        return migrate(src, spy, false);
    }

    MigrationReport migrate(ConnectionSpec src, java.util.function.Consumer<String> spy, boolean allowNonEmpty) {
        return new Migration(settings(src, allowNonEmpty), line -> {
            out.add(line);
            spy.accept(line);
        }, Clock.systemUTC()).migrate(false, downtime(WEB));
    }

    MigrationSettings settings(ConnectionSpec src, boolean allowNonEmpty) {
        return new MigrationSettings(src, TestServers.spec(pg, target), TestServers.copyOptions(TestServers.workDir(), false), allowNonEmpty);
    }

    KubeApplications downtime(List<WorkloadRef> refs) {
        return new KubeApplications(new AppFreezer(client, store(), out::add, Clock.systemUTC()), refs,
                Duration.ofSeconds(10), Duration.ofSeconds(10), Clock.systemUTC());
    }

    LedgerStore store() {
        return new LedgerStore(client, NS, "m1");
    }

    int replicas() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas();
    }

    int pods() {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().size();
    }

    long count(String db) throws SQLException {
        return single(db, "SELECT count(*) FROM toots");
    }

    long tables(String db) throws SQLException {
        return single(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
    }

    long single(String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
