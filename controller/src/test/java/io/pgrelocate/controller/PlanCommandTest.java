package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.report.ReportMarkers;
import io.pgrelocate.engine.testing.FakeJobRun;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.SourceFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgrelocate.engine.testing.SourceFixtures.env;
import static org.assertj.core.api.Assertions.assertThat;

/** `pgrelocate plan`: the gate, what gets frozen and created, and a downtime computed from backup-test's measurement. */
@EnableKubernetesMockClient(crud = true, https = false)
class PlanCommandTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    Cli cli;

    @BeforeEach
    void zalandoSourceAndItsApp() {
        SourceFixtures fixtures = new SourceFixtures(client, NS);
        fixtures.zalandoCluster();
        fixtures.app("web", env("DATABASE_URL", "postgres://shop_owner@acid-shop:5432/shop"));
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @Test
    void withoutAMeasurementThePlanSaysHowToGetOne() {
        assertThat(cli.run("plan", "--target-major", "17")).as(cli.err()).isZero();

        assertThat(cli.out()).contains("version   PostgreSQL 16 → 17: ok", "freeze    deployment/web",
                "create    Cluster acid-shop-cnpg (PostgreSQL 17), Poolers acid-shop-cnpg-pooler-rw, acid-shop-cnpg-pooler-ro",
                "downtime  not estimated: no successful backup-test Job here; run `pgrelocate run backup-test`");
    }

    @Test
    void theDowntimeComesFromWhatBackupTestMeasured() {
        backupTestJob("backup-1", "{\"exitCode\" : 0, \"databaseBytes\" : 1073741824, \"dumpBytes\" : 900000000, "
                + "\"dump\" : \"PT20S\", \"mode\" : \"volume\", \"jobs\" : 2}");

        assertThat(cli.run("plan", "--freeze", "30s")).as(cli.err()).isZero();

        // dump as measured, restore and verify at the same rate, plus the time allowed for the freeze
        String total = Durations.human(Duration.ofSeconds(30 + 20 * 3));
        assertThat(cli.out()).contains("measured  1.0 GiB database, pg_dump read it in " + Durations.human(Duration.ofSeconds(20)),
                "in Job backup-1", "downtime  dump: ~" + total + " app downtime (dump " + Durations.human(Duration.ofSeconds(20)),
                "downtime  logical: ~" + Durations.human(Duration.ofSeconds(35)) + " app downtime (write window ~" + Durations.human(Duration.ofSeconds(5)) + ")");
    }

    @Test
    void aFailedBackupTestIsNoMeasurement() {
        backupTestJob("backup-2", "{\"exitCode\" : 17, \"databaseBytes\" : 1073741824, \"dump\" : \"PT20S\"}");

        assertThat(cli.run("plan")).isZero();
        assertThat(cli.out()).contains("downtime  not estimated");
    }

    @Test
    void anOlderTargetIsRefused() {
        assertThat(cli.run("plan", "--target-major", "15")).isEqualTo(5);
        assertThat(cli.err()).isEqualTo("error: target major 15 is older than the source's 16: pg_restore cannot go back; "
                + "use --target-major 16 or newer\n");
    }

    /** A finished backup-test Job made from its template, whose log ends with its JSON report. */
    void backupTestJob(String name, String report) {
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata().withName(name)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("pgrelocate-backup-test")
                .withUid("u1").endOwnerReference().endMetadata().withNewSpec().endSpec().build()).create();
        new FakeJobRun(server, client, NS, name).podPending()
                .log("10:00:00 backup-test: dumping\n" + ReportMarkers.BEGIN + "\n" + report + "\n" + ReportMarkers.END + "\n")
                .running().exit(0);
    }
}
