package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.mysql.MysqlFence;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.switchover.FenceRecord;
import io.pgrelocate.engine.switchover.SourceMarker;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI's part of the window: a standalone cutover checks the source, rollback lifts the fence. */
@EnableKubernetesMockClient(crud = true, https = false)
class WindowCommandsTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    FakeWorkloadController workloads;
    Cli cli;
    final LocalPostgres pg = TestServers.pg15();
    String source;
    Path passwordFile;

    @BeforeEach
    void appThawedOntoTheSourceAfterAVerifiedCopy() throws IOException {
        Deployment web = FakeWorkloadController.deployment("web", 1);
        web.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(new EnvVar("DATABASE_URL", "postgres://app@acid-main:5432/app", null)));
        client.apps().deployments().inNamespace(NS).resource(web).create();
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg", "PGRELOCATE_WORKLOADS", "deployment/web",
                "PGRELOCATE_FREEZE_TIMEOUT", "20s", "PGRELOCATE_THAW_TIMEOUT", "20s"));
        workloads = new FakeWorkloadController(client, NS);
        cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run("freeze")).as(cli.err()).isZero();
        assertThat(cli.run("thaw")).as(cli.err()).isZero();
        cli.clear();
        source = TestServers.freshDatabase(pg, "cli_src");
        pg.executeSql(source, "CREATE TABLE toots(id int PRIMARY KEY); INSERT INTO toots VALUES (1), (2)");
        awaitInserts("toots", 2);
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            SourceMarker marker = SourceMarker.take(db, ObjectFilter.SPILO_DEFAULT, Instant.now());
            new LedgerStore(client, NS, "shop-to-cnpg").write(l -> l.verifiedCopy(marker));
        }
        passwordFile = Files.createTempFile("pgrelocate-pw-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, TestServers.PASSWORD);
    }

    @AfterEach
    void stop() throws IOException {
        workloads.close();
        Files.deleteIfExists(passwordFile);
    }

    @Test
    void aStandaloneCutoverRefusesWhenTheSourceChangedSinceTheVerifiedCopyAndNamesTheTable() {
        pg.executeSql(source, "INSERT INTO toots VALUES (3)");
        awaitInserts("toots", 3);

        assertThat(cutover()).isEqualTo(21);

        assertThat(cli.err()).contains("the source changed after the copy was verified", "table public.toots: 2 inserts/0 updates/0 deletes → 3 inserts",
                "Re-sync: empty the target and run the migration again with PGRELOCATE_CUTOVER_HOSTS");
        assertThat(databaseUrl()).isEqualTo("postgres://app@acid-main:5432/app");
    }

    @Test
    void aStandaloneCutoverGoesAheadWhenTheSourceIsUnchangedAndNeedsTheSourceToKnow() {
        assertThat(cli.run("cutover", "--host", "acid-main=main-rw")).isEqualTo(2);
        assertThat(cli.err()).contains("pass --source URI so that cutover can check nothing was written there since");

        assertThat(cutover()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("cutover: the source is unchanged since the verified copy");
        assertThat(databaseUrl()).isEqualTo("postgres://app@main-rw:5432/app");
    }

    @Test
    void aLocalRollbackLiftsTheFence() {
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            new Fence(line -> { }, Clock.systemUTC()).raise(db, Set.of(db.<Integer>one("SELECT pg_backend_pid()", rs -> rs.getInt(1))));
        }
        Cli local = Cli.local();

        assertThat(local.run("rollback", "--source", pg.uri(source), "--source-password-file", passwordFile.toString())).as(local.err()).isZero();

        assertThat(local.out()).contains("fence: lifted from " + source);
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            assertThat(Fence.read(db)).isEmpty();
        }
        pg.executeSql(source, "INSERT INTO toots VALUES (4)");
    }

    @Test
    void aClusterRollbackLiftsTheFenceTheLedgerRecordsBeforeTheAppsComeBackAndNeedsTheSourceForIt() {
        LedgerStore store = new LedgerStore(client, NS, "shop-to-cnpg");
        try (Db db = Db.connect(TestServers.spec(pg, source))) {
            FenceRecord record = new Fence(line -> { }, Clock.systemUTC()).raise(db, Set.of(db.<Integer>one("SELECT pg_backend_pid()", rs -> rs.getInt(1))));
            store.write(l -> l.fence(record));
        }
        assertThat(cli.run("status")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("fence:    database " + source + " fenced at", "verified copy: ");

        assertThat(cli.run("rollback")).isEqualTo(2);
        assertThat(cli.err()).contains("the source is fenced", "pass --source URI");

        assertThat(cli.run("rollback", "--source", pg.uri(source), "--source-password-file", passwordFile.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("fence: lifted from " + source);
        assertThat(store.read().orElseThrow().fence()).isNull();
        pg.executeSql(source, "INSERT INTO toots VALUES (5)");
    }

    @Test
    void aClusterRollbackLiftsTheMysqlFenceTheLedgerRecordsAndNeedsThatSource() {
        MariaDbServer maria = MariaDbServer.shared();
        String db = maria.freshDatabase("cli_rollback");
        MysqlSource mysql = maria.source(db);
        LedgerStore store = new LedgerStore(client, NS, "shop-to-cnpg");
        try (MysqlFence fence = new MysqlFence(mysql, Set.of(), line -> { }, Clock.systemUTC())) {
            FenceRecord record = fence.raise().record();
            store.write(l -> l.fence(record));
        }
        String uri = "mariadb://" + MariaDbServer.ADMIN + "@127.0.0.1:" + maria.port() + "/" + db;

        assertThat(cli.run("rollback")).isEqualTo(2);
        assertThat(cli.err()).contains("the source is fenced (server of mariadb:", "read_only=ON", "pass --source URI");
        assertThat(cli.run("rollback", "--source", pg.uri(source), "--source-password-file", passwordFile.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--source names a PostgreSQL server");

        assertThat(cli.run("rollback", "--source", uri, "--source-password-file", passwordFile.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("fence: lifted from mariadb:", "read_only back to OFF");
        assertThat(store.read().orElseThrow().fence()).isNull();
        maria.execute(db, "CREATE TABLE after_rollback (id INT)");
    }

    int cutover() {
        return cli.run("cutover", "--host", "acid-main=main-rw", "--source", pg.uri(source), "--source-password-file", passwordFile.toString());
    }

    /** pg_stat_user_tables lags a moment behind a session that just ended. */
    void awaitInserts(String table, long inserts) {
        await().until(() -> {
            try (Db db = Db.connect(TestServers.spec(pg, source))) {
                return db.longValue("SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = ?", table) == inserts;
            }
        });
    }

    String databaseUrl() {
        return client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().get(0).getValue();
    }
}
