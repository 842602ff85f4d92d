package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.testing.FakeJobRun;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Reaching the cluster as kubectl does (kubeconfig, context, namespace), logs, and one clear line when it cannot. */
@EnableKubernetesMockClient(crud = true, https = false)
class KubeAccessTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void anUnreachableApiServerIsExit13WithOneLineNamingIt() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Cli cli = Cli.against(MockKubeconfig.write("http://127.0.0.1:" + closedPort, NS));

        assertThat(cli.run("status")).isEqualTo(13);
        assertThat(cli.err().lines()).hasSize(1).first().asString()
                .startsWith("error: cannot reach the Kubernetes API at http://127.0.0.1:" + closedPort + "/ (")
                .contains("Connection refused").endsWith("check --kubeconfig/--context and that the cluster is up");
        // with every value given, the first call is the engine's ledger read: the same line
        cli.clear();
        assertThat(cli.run("freeze", "--migration", "m", "--workload", "deployment/web", "--timeout", "1m")).isEqualTo(13);
        assertThat(cli.err().lines()).hasSize(1).first().asString()
                .startsWith("error: cannot reach the Kubernetes API at http://127.0.0.1:" + closedPort + "/ (");
    }

    @Test
    void namespaceComesFromTheContextUnlessGivenAndAnUnknownContextIsRefused() {
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));

        assertThat(cli.run("run", "migration", "-n", "elsewhere")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: no CronJob template pgrelocate-migration in namespace elsewhere");
        cli.clear();
        assertThat(cli.run("status", "--context", "prod")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: context \"prod\" does not exist in the kubeconfig").endsWith("contexts: mock\n");
        Cli noFile = Cli.local();
        assertThat(noFile.run("status", "--kubeconfig", "/nonexistent/config")).isEqualTo(2);
        assertThat(noFile.err()).isEqualTo("error: --kubeconfig /nonexistent/config: no such file\n");
    }

    @Test
    void logsPrintsTheNewestJobsLogAndFollowExitsWithItsResult() {
        var template = client.batch().v1().cronjobs().inNamespace(NS).resource(TemplateFixture.migration(NS)).create();
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg"));
        Cli cli = Cli.against(MockKubeconfig.write(server, NS));
        assertThat(cli.run("logs", "migration")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: no Job from pgrelocate-migration in namespace shop yet: start one with pgrelocate run migration\n");

        Job job = new JobLauncher(client, NS).create(JobLauncher.fromCronJob(template, "migration-by-hand"));
        new FakeJobRun(server, client, NS, job.getMetadata().getName()).podPending().log("copy: done\nverify: 2 differences\n").running().exit(12);
        cli.clear();
        assertThat(cli.run("logs", "migration")).isZero();
        assertThat(cli.out()).isEqualTo("copy: done\nverify: 2 differences\n");
        assertThat(cli.err()).isEqualTo("job.batch/migration-by-hand\n");

        cli.clear();
        assertThat(cli.run("logs", "migration", "-f")).as(cli.err()).isEqualTo(12);
        assertThat(cli.out()).isEqualTo("copy: done\nverify: 2 differences\n");
        assertThat(cli.err()).endsWith("error: job.batch/migration-by-hand Failed (BackoffLimitExceeded), exit 12: verification found differences\n");

        cli.clear();
        assertThat(cli.run("status")).isZero();
        assertThat(cli.out()).contains("migration shop-to-cnpg: no ledger shop/pgrelocate-ledger-shop-to-cnpg (nothing frozen yet)")
                .containsPattern("\n  migration +migration-by-hand +\\S+ +Failed \\(BackoffLimitExceeded\\), exit 12: verification found differences\n");
    }

    @Test
    void topLevelHelpListsTheKubernetesCommandsAndEveryExitCode() {
        Cli cli = Cli.local();
        assertThat(cli.run("--help")).isZero();
        assertThat(cli.outFlat()).contains("discover", "run", "logs", "status", "freeze", "thaw", "rollback",
                "13 the Kubernetes API refused or failed a request", "16 the Job did not finish in time",
                "17 a check of the source or target failed", "18 nothing to migrate: no source database found");
    }
}
