package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.discover.Discovery;
import io.pgrelocate.engine.kube.Adoption;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.kube.CutoverGrant;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.LedgerStore;
import io.pgrelocate.engine.kube.OldDatabase;
import io.pgrelocate.engine.kube.PodReferences;
import io.pgrelocate.engine.cleanup.SourceCleanup;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.testing.AppContainers;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.RealKubernetes;
import io.pgrelocate.engine.testing.SourceFixtures;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.jobs.support.JobCluster;
import io.pgrelocate.jobs.support.JobRun;
import io.pgrelocate.jobs.support.JobSettings;
import io.pgrelocate.jobs.support.JobSettingsAdapter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The applications work after the move: a Zalando namespace with two applications that really run
 * ({@link AppContainers}: each pod's settings resolved as the kubelet would, a writer logging in with them),
 * the migration Job's own code path under its own ServiceAccount with PGRELOCATE_CUTOVER_HOSTS, then the
 * cleanup Job's: every acknowledged write is on the target, every pod writes on the target after the
 * thaw and again after cleanup, and no pod template is left reading a deleted object.
 */
@ExtendWith(RealKubernetes.class)
class ApplicationsOnTheTargetTest {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final Clock CLOCK = Clock.systemUTC();
    static final String CLUSTER = "acid-mastodon";
    static final String APP_SECRET = "mastodon." + CLUSTER + ".credentials.postgresql.acid.zalan.do";
    static final String APP_PASSWORD = "app-only-Kn0ws-this";
    /** The workers' own role: it owns nothing and no ACL names it (it writes through a grant to PUBLIC). */
    static final String WORKER = "mastodon_sidekiq";
    static final String WORKER_SECRET = "mastodon-sidekiq." + CLUSTER + ".credentials.postgresql.acid.zalan.do";
    static final String WORKER_PASSWORD = "worker-only-Kn0ws-this";
    static final Map<String, String> USERS = Map.of("mastodon-web", "mastodon", "mastodon-sidekiq", WORKER);
    static final List<String> APPS = List.of("mastodon-web", "mastodon-sidekiq");

    static LocalPostgres source;
    static LocalPostgres target;

    @BeforeAll
    static void servers() {
        // wal_level=logical on both: a logical migration's forward stream, and its reverse stream back at rollback
        source = LocalPostgres.start(PgBinaries.system(15), TestServers.PASSWORD, Map.of("wal_level", "logical"));
        target = LocalPostgres.start(PgBinaries.system(15), TestServers.PASSWORD, Map.of("wal_level", "logical"));
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    @Test
    void everyAppPodWritesOnTheTargetAfterTheMoveAndAfterCleanup(KubeNamespace ns) throws Exception {
        String migration = zalandoNamespaceWithApps(ns);
        KubernetesClient admin = ns.admin();
        AppContainers apps = ns.appContainers(Set.copyOf(APPS), Map.of(CLUSTER, source.port(), "mastodon-db-rw", target.port()));
        await().atMost(TIMEOUT).until(() -> podsWritingOn(apps, source.port(), admin).size() == 5);

        // what `pgrelocate run migration` does with the user's rights before it creates the Job
        CutoverGrant grant = new CutoverGrant(admin, ns.name(), migration);
        grant.grant(WorkloadRef.parseAll(APPS.stream().map(a -> "deployment/" + a).toList()), null);
        KubernetesClient job = ns.as("pgrelocate-migration");
        assertThat(canI(job, "get", "secrets", null)).as("kubectl auth can-i get secrets").isFalse();
        assertThat(canI(job, "get", "secrets", APP_SECRET)).as("the applications' Secret, during the migration").isTrue();
        assertThatThrownBy(() -> job.secrets().withName("pgrelocate-target").get()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(403));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = migrationJob(migration, job, log, Map.of());

        assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(APP_PASSWORD, WORKER_PASSWORD, TestServers.PASSWORD);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podsWritingOn(apps, target.port(), admin)).hasSize(5));
        assertThat(apps.configErrors()).isEmpty();
        assertThat(new LedgerStore(admin, ns.name(), migration).read().orElseThrow().phases()).containsKey("apps-logins-proven");
        assertThat(apps.acks().stream().filter(a -> a.port() == target.port()).map(AppContainers.Ack::app).distinct())
                .containsExactlyInAnyOrderElementsOf(APPS);
        assertThat(apps.acks().stream().filter(a -> a.port() == target.port())).as("each pod with its own resolved settings")
                .allSatisfy(a -> assertThat(a.user()).isEqualTo(USERS.get(a.app())));
        for (String role : USERS.values()) {
            assertThat(storedVerifier(target, role)).as(role + " came with the migration, its SCRAM verifier carried")
                    .startsWith("SCRAM-SHA-256$").isEqualTo(storedVerifier(source, role));
        }
        assertThat(admin.secrets().withName(Adoption.copyName(APP_SECRET)).get().getMetadata().getOwnerReferences()).isNullOrEmpty();
        everyAcknowledgedWriteIsOnTheTarget(apps);
        grant.revoke();
        assertThat(canI(job, "get", "secrets", APP_SECRET)).as("after the migration").isFalse();

        // the validation Job's record (apps-db validates the target itself; here only the ledger entry the gate reads)
        new LedgerStore(ns.as("pgrelocate-validation"), ns.name(), migration).write(l -> l.validated(true, Instant.now().plusSeconds(1), "ok"));
        KubernetesClient cleanupJob = ns.as("pgrelocate-cleanup");
        new SourceCleanup(cleanupJob, new LedgerStore(cleanupJob, ns.name(), migration), line -> { }, Clock.offset(CLOCK, Duration.ofDays(8)))
                .run(OldDatabase.parse("zalando/" + CLUSTER), Duration.ofDays(7), Optional.of(CLUSTER));

        await().atMost(TIMEOUT).until(() -> admin.secrets().withName(APP_SECRET).get() == null);
        Set<String> before = podsWritingOn(apps, target.port(), admin);
        APPS.forEach(a -> admin.apps().deployments().withName(a).rolling().restart());
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Set<String> now = podsWritingOn(apps, target.port(), admin);
            assertThat(now).hasSize(5).doesNotContainAnyElementsOf(before);
        });
        assertThat(apps.configErrors()).isEmpty();
        assertThat(danglingReferences(admin)).isEmpty();
        everyAcknowledgedWriteIsOnTheTarget(apps);
        assertThat(apps.acks()).allSatisfy(a -> assertThat(a.user()).isEqualTo(USERS.get(a.app())));
        assertThat(canI(job, "get", "secrets", null)).as("kubectl auth can-i get secrets, after cleanup").isFalse();
    }

    @Test
    void afterALogicalSwitchRollbackBringsEveryWriteTheAppsMadeOnTheTargetBackToTheSource(KubeNamespace ns) throws Exception {
        String migration = zalandoNamespaceWithApps(ns);
        KubernetesClient admin = ns.admin();
        AppContainers apps = ns.appContainers(Set.copyOf(APPS), Map.of(CLUSTER, source.port(), "mastodon-db-rw", target.port()));
        await().atMost(TIMEOUT).until(() -> podsWritingOn(apps, source.port(), admin).size() == 5);
        new CutoverGrant(admin, ns.name(), migration).grant(WorkloadRef.parseAll(APPS.stream().map(a -> "deployment/" + a).toList()), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = migrationJob(migration, ns.as("pgrelocate-migration"), log, Map.of("PGRELOCATE_STRATEGY", "logical"));
        assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("logical: reverse stream ");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podsWritingOn(apps, target.port(), admin)).hasSize(5));
        long onTarget = apps.acks().stream().filter(a -> a.port() == target.port()).count();
        await().atMost(TIMEOUT).until(() -> apps.acks().stream().filter(a -> a.port() == target.port()).count() > onTarget + 100);

        // what `pgrelocate rollback -n NS --migration M --source … --target …` runs (RollbackCommand), with the user's rights
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        LedgerStore store = new LedgerStore(admin, ns.name(), migration);
        AppFreezer freezer = new AppFreezer(admin, store, lines::add, CLOCK);
        ConnectionSpec sourceSpec = TestServers.spec(source, "mastodon");
        new Rollback(lines::add, CLOCK, TestServers.spec(target, "mastodon")).beforeThaw(freezer, new Cutover(admin, store, lines::add, CLOCK),
                () -> Db.connect(sourceSpec), TIMEOUT, false);
        freezer.thaw(TIMEOUT, Ledger.State.ROLLED_BACK);

        String text = String.join("\n", lines);
        assertThat(text).contains("drain: target has applied", "rollback window: write window", "fence: lifted from mastodon");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podsWritingOn(apps, source.port(), admin)).hasSize(5));
        Set<String> onSource = new HashSet<>();
        try (Connection c = source.connect("mastodon"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pod || '/' || n FROM app_writes")) {
            while (rs.next()) {
                onSource.add(rs.getString(1));
            }
        }
        List<String> writtenOnTarget = apps.acks().stream().filter(a -> a.port() == target.port()).map(a -> a.pod() + "/" + a.n()).toList();
        assertThat(writtenOnTarget).hasSizeGreaterThan(100);
        assertThat(onSource).as("every write acknowledged on the target is on the source").containsAll(writtenOnTarget);
        assertThat(apps.configErrors()).isEmpty();
        assertThat(store.read().orElseThrow().fence()).isNull();
        assertThat(store.read().orElseThrow().phases()).containsKeys("rollback-fenced", "rollback-unfenced", "rollback-apps-ready");
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no slot left on the target").isZero();
        }
    }

    @Test
    void anAppWhoseLoginWouldFailOnTheTargetStopsTheMigrationBeforeTheFreeze(KubeNamespace ns) throws Exception {
        String migration = zalandoNamespaceWithApps(ns);
        AppContainers apps = ns.appContainers(Set.copyOf(APPS), Map.of(CLUSTER, source.port(), "mastodon-db-rw", target.port()));
        new CutoverGrant(ns.admin(), ns.name(), migration).grant(WorkloadRef.parseAll(APPS.stream().map(a -> "deployment/" + a).toList()), null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        // the roles are created without passwords (the user chose a target Secret) but the apps still use the source's
        int exit = migrationJob(migration, ns.as("pgrelocate-migration"), log, Map.of("PGRELOCATE_ROLE_PASSWORDS", "target-secret"));

        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(17);
        assertThat(text).contains("app deployment/mastodon-web container mastodon-web: user mastodon: the target refuses the login")
                .contains("app deployment/mastodon-sidekiq container mastodon-sidekiq: user " + WORKER + ": the target refuses the login")
                .doesNotContain(APP_PASSWORD, WORKER_PASSWORD);
        assertThat(new LedgerStore(ns.admin(), ns.name(), migration).read()).as("nothing was frozen").isEmpty();
        await().atMost(TIMEOUT).until(() -> podsWritingOn(apps, source.port(), ns.admin()).size() == 5);
    }

    @Test
    void anAppThatCannotReadItsTablesOnTheTargetRollsTheWindowBackOntoTheSource(KubeNamespace ns) throws Exception {
        String migration = zalandoNamespaceWithApps(ns);
        AppContainers apps = ns.appContainers(Set.copyOf(APPS), Map.of(CLUSTER, source.port(), "mastodon-db-rw", target.port()));
        new CutoverGrant(ns.admin(), ns.name(), migration).grant(WorkloadRef.parseAll(APPS.stream().map(a -> "deployment/" + a).toList()), null);
        await().atMost(TIMEOUT).until(() -> podsWritingOn(apps, source.port(), ns.admin()).size() == 5);
        Set<String> before = new HashSet<>(apps.runningPods());
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        // --no-owner with the role made by hand on the target: it logs in (the rehearsal passes), but every table
        // on the target belongs to the migration's user and the application's role may read none
        target.executeSql("postgres", "CREATE ROLE mastodon LOGIN PASSWORD '" + APP_PASSWORD + "'");
        target.executeSql("postgres", "CREATE ROLE " + WORKER + " LOGIN PASSWORD '" + WORKER_PASSWORD + "'");
        int exit = migrationJob(migration, ns.as("pgrelocate-migration"), log, Map.of("PGRELOCATE_KEEP_OWNERSHIP", "false"));

        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(17);
        assertThat(text).contains("app deployment/mastodon-web container mastodon-web: user mastodon: logged in, but cannot read public.")
                .contains("permission denied").doesNotContain(APP_PASSWORD);
        Ledger ledger = new LedgerStore(ns.admin(), ns.name(), migration).read().orElseThrow();
        assertThat(ledger.state()).isEqualTo(Ledger.State.ROLLED_BACK);
        assertThat(ledger.cutover()).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(podsWritingOn(apps, source.port(), ns.admin())).hasSize(5)
                .doesNotContainAnyElementsOf(before));
        assertThat(ns.admin().apps().deployments().withName("mastodon-web").get().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().get(3).getValueFrom().getSecretKeyRef().getName()).isEqualTo(APP_SECRET);
    }

    @Test
    void cleanupRefusesASecretAPodTemplateStillReads(KubeNamespace ns) {
        String migration = zalandoNamespaceWithApps(ns);
        KubernetesClient admin = ns.admin();
        new LedgerStore(ns.as("pgrelocate-migration"), ns.name(), migration).write(l -> l.moveTo(Ledger.State.COMPLETED, CLOCK.instant()));
        new LedgerStore(ns.as("pgrelocate-validation"), ns.name(), migration).write(l -> l.validated(true, CLOCK.instant().plusSeconds(1), "ok"));
        KubernetesClient cleanupJob = ns.as("pgrelocate-cleanup");
        SourceCleanup cleanup = new SourceCleanup(cleanupJob, new LedgerStore(cleanupJob, ns.name(), migration), line -> { },
                Clock.offset(CLOCK, Duration.ofDays(8)));

        assertThatThrownBy(() -> cleanup.run(OldDatabase.parse("zalando/" + CLUSTER), Duration.ofDays(7), Optional.of(CLUSTER)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("deployment/mastodon-web reads secret/" + APP_SECRET)
                .hasMessageContaining("deployment/mastodon-sidekiq reads secret/" + WORKER_SECRET)
                .hasMessageEndingWith("nothing was deleted");
        assertThat(admin.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).withName(CLUSTER).get()).isNotNull();
        assertThat(admin.secrets().withName(APP_SECRET).get()).isNotNull();
    }

    /**
     * The namespace of the acceptance check: postgresql {@value #CLUSTER} with its operator's credentials Secret (owned by it),
     * two applications reading it through secretKeyRef, DB_HOST/DB_NAME as values and DATABASE_URL from a ConfigMap through
     * envFrom; the dev overlay's Jobs, and their pgrelocate-source/-target Secrets as a user creates them. Returns the migration.
     */
    private static String zalandoNamespaceWithApps(KubeNamespace ns) {
        ns.crd("crds/zalando-postgresqls.crd.yaml");
        Render dev = DevOverlayOnServer.applyTo(ns);
        KubernetesClient admin = ns.admin();
        GenericKubernetesResource pg = Serialization.unmarshal(TestServers.resource("/discover/zalando-acid-shop.yaml"), GenericKubernetesResource.class);
        pg.getMetadata().setName(CLUSTER);
        @SuppressWarnings("unchecked") Map<String, Object> spec = (Map<String, Object>) pg.getAdditionalProperties().get("spec");
        spec.put("users", Map.of("mastodon", List.of(), WORKER, List.of()));
        spec.put("databases", Map.of("mastodon", "mastodon"));
        spec.remove("preparedDatabases");
        GenericKubernetesResource created = admin.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).resource(pg).create();
        Map<String, String> passwords = Map.of("mastodon", APP_PASSWORD, WORKER, WORKER_PASSWORD, "postgres", TestServers.PASSWORD);
        for (String user : passwords.keySet()) {
            admin.secrets().resource(new SecretBuilder().withNewMetadata()
                    .withName(user.replace('_', '-') + "." + CLUSTER + ".credentials.postgresql.acid.zalan.do")
                    .addToLabels(Map.of("application", "spilo", "cluster-name", CLUSTER, "team", "acid"))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("acid.zalan.do/v1").withKind("postgresql").withName(CLUSTER)
                            .withUid(created.getMetadata().getUid()).withController(true).build())
                    .endMetadata().addToStringData("username", user)
                    .addToStringData("password", passwords.get(user)).build()).create();
        }
        for (String s : List.of("pgrelocate-source", "pgrelocate-target")) {
            admin.secrets().resource(new SecretBuilder().withNewMetadata().withName(s).endMetadata()
                    .addToStringData("password", TestServers.PASSWORD).build()).create();
        }
        admin.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("mastodon-env").endMetadata()
                .addToData("DATABASE_URL", "postgresql://" + CLUSTER + ":5432/mastodon").addToData("RAILS_ENV", "production").build()).create();
        for (String app : APPS) {
            Deployment d = FakeWorkloadController.deployment(app, app.equals("mastodon-web") ? 3 : 2);
            var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            String secret = app.equals("mastodon-web") ? APP_SECRET : WORKER_SECRET;
            c.setEnv(List.of(SourceFixtures.env("DB_HOST", CLUSTER), SourceFixtures.env("DB_NAME", "mastodon"),
                    SourceFixtures.secretEnv("DB_USER", secret, "username"), SourceFixtures.secretEnv("DB_PASS", secret, "password")));
            c.setEnvFrom(List.of(new EnvFromSourceBuilder().withNewConfigMapRef("mastodon-env", false).build()));
            admin.apps().deployments().resource(d).create();
        }
        ns.fakeKubelet();
        databases();
        return DevOverlayOnServer.migration(dev);
    }

    /** Mastodon's database on the source, owned by its role; the target empty. */
    private static void databases() {
        for (LocalPostgres pg : List.of(source, target)) {
            pg.executeSql("postgres", "DROP DATABASE IF EXISTS mastodon WITH (FORCE)");
            pg.executeSql("postgres", "DROP ROLE IF EXISTS mastodon; DROP ROLE IF EXISTS " + WORKER);
        }
        source.executeSql("postgres", "CREATE ROLE mastodon LOGIN PASSWORD '" + APP_PASSWORD + "'; CREATE ROLE " + WORKER
                + " LOGIN PASSWORD '" + WORKER_PASSWORD + "'");
        source.createDatabase("mastodon", "mastodon");
        source.executeSql("mastodon", "SET ROLE mastodon; " + AppContainers.TABLE_DDL
                + "; CREATE TABLE statuses(id bigint PRIMARY KEY, text text); INSERT INTO statuses SELECT g, 'toot ' || g FROM generate_series(1, 2000) g"
                + "; GRANT SELECT, INSERT ON app_writes TO PUBLIC");
        target.createDatabase("mastodon"); // no role: the migration carries both, with their passwords
    }

    /**
     * The migration Job's main (MigrationJob.run) without Quarkus: its settings from the env it would have ({@code more} added),
     * its own account; the source user is the superuser, as in the production overlay.
     */
    private static int migrationJob(String migration, KubernetesClient job, ByteArrayOutputStream log, Map<String, String> more) throws Exception {
        Path work = Files.createTempDirectory("pgrelocate-apps-");
        Map<String, String> env = new HashMap<>();
        env.put("PGRELOCATE_SOURCE_URI", "postgresql://postgres@127.0.0.1:" + source.port() + "/mastodon");
        env.put("PGRELOCATE_TARGET_URI", "postgresql://postgres@127.0.0.1:" + target.port() + "/mastodon");
        env.put("PGRELOCATE_MIGRATION", migration);
        env.put("PGRELOCATE_WORKLOADS", String.join(",", APPS.stream().map(a -> "deployment/" + a).toList()));
        env.put("PGRELOCATE_CUTOVER_HOSTS", CLUSTER + "=mastodon-db-rw");
        env.put("PGRELOCATE_WORK_DIR", work.toString());
        env.put("PGRELOCATE_FREEZE_TIMEOUT", "2m");
        env.put("PGRELOCATE_THAW_TIMEOUT", "2m");
        // from Secrets pgrelocate-source and pgrelocate-target through secretKeyRef, as in the CronJob template
        env.put("PGRELOCATE_SOURCE_PASSWORD", TestServers.PASSWORD);
        env.put("PGRELOCATE_TARGET_PASSWORD", TestServers.PASSWORD);
        env.putAll(more);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JobSettings.class).withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, v -> Duration.parse("PT" + v.toUpperCase())).build(); // "5m", as Quarkus reads it
        JobSettings settings = config.getConfigMapping(JobSettings.class);
        Map<String, String> secrets = Map.of("PGPASSFILE", work.resolve("none").toString());
        JobRun run = new JobRun(new PrintStream(log, true, StandardCharsets.UTF_8), CLOCK);
        return run.migration(settings, new JobSettingsAdapter(new PasswordSource(secrets)), ms -> JobCluster.withAppLogins(settings, () -> job, ms),
                m -> m.migrate(false, JobCluster.downtime(settings, () -> job, run::progress, run.clock())));
    }

    private static String storedVerifier(LocalPostgres pg, String role) throws Exception {
        try (Connection c = pg.connect("postgres"); var st = c.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            st.setString(1, role);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The running pods of the applications whose writer has an acknowledged write on the server at {@code port}. */
    private static Set<String> podsWritingOn(AppContainers apps, int port, KubernetesClient admin) {
        Set<String> pods = admin.pods().list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> writing = apps.acks().stream().filter(a -> a.port() == port).map(AppContainers.Ack::pod).collect(Collectors.toSet());
        writing.retainAll(pods);
        writing.retainAll(apps.runningPods());
        return writing;
    }

    private static void everyAcknowledgedWriteIsOnTheTarget(AppContainers apps) throws Exception {
        List<AppContainers.Ack> acks = apps.acks();
        Set<String> rows = new HashSet<>();
        try (Connection c = target.connect("mastodon"); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pod, n FROM app_writes")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "#" + rs.getLong(2));
            }
        }
        List<String> lost = acks.stream().map(a -> a.pod() + "#" + a.n()).filter(k -> !rows.contains(k)).toList();
        assertThat(lost).as("acknowledged writes missing on the target, of " + acks.size()).isEmpty();
    }

    /** Every Secret or ConfigMap a pod template of the namespace needs (not optional) that does not exist. */
    private static List<String> danglingReferences(KubernetesClient k) {
        Map<String, PodSpec> templates = new HashMap<>();
        k.apps().deployments().list().getItems().forEach(d -> templates.put("deployment/" + name(d), d.getSpec().getTemplate().getSpec()));
        k.apps().statefulSets().list().getItems().forEach(s -> templates.put("statefulset/" + name(s), s.getSpec().getTemplate().getSpec()));
        k.apps().daemonSets().list().getItems().forEach(s -> templates.put("daemonset/" + name(s), s.getSpec().getTemplate().getSpec()));
        k.batch().v1().cronjobs().list().getItems().forEach(c -> templates.put("cronjob/" + name(c),
                c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec()));
        k.batch().v1().jobs().list().getItems().forEach(j -> templates.put("job/" + name(j), j.getSpec().getTemplate().getSpec()));
        Function<PodReferences.Ref, Boolean> exists = r -> r.secret() ? k.secrets().withName(r.name()).get() != null
                : k.configMaps().withName(r.name()).get() != null;
        List<String> dangling = new ArrayList<>();
        templates.forEach((t, spec) -> PodReferences.of(spec).stream().filter(r -> !r.optional()).filter(r -> !exists.apply(r))
                .forEach(r -> dangling.add(t + " → " + (r.secret() ? "secret/" : "configmap/") + r.name())));
        assertThat(templates.keySet()).as("the templates checked").hasSizeGreaterThan(5);
        return dangling;
    }

    private static boolean canI(KubernetesClient as, String verb, String resource, String name) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withVerb(verb).withResource(resource).withName(name).withNamespace(as.getNamespace()).endResourceAttributes().endSpec().build();
        return as.authorization().v1().selfSubjectAccessReview().create(review).getStatus().getAllowed();
    }

    private static String name(HasMetadata o) {
        return o.getMetadata().getName();
    }
}
