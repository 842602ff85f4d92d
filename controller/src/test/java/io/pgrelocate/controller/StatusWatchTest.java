package io.pgrelocate.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.FakeJobRun;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `pgrelocate status -w` while a migration Job runs, as a CI log (no terminal) shows it. */
@EnableKubernetesMockClient(crud = true, https = false)
class StatusWatchTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    Cli cli;

    @BeforeEach
    void template() {
        client.batch().v1().cronjobs().inNamespace(NS).resource(TemplateFixture.migration(NS)).create();
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg"));
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @Test
    void followsTheRunningJobsLogAndStopsWhenItEnds() throws Exception {
        assertThat(cli.run("run", "migration", "--name", "migration-1", "--no-follow")).as(cli.err()).isZero();
        FakeJobRun pod = new FakeJobRun(server, client, NS, "migration-1")
                .podPending().log("preflight: ok\ncopy: 40% of 905 MB, 3/12 tables, ETA 12s\n").running();
        cli.clear();

        var watching = cli.start("status", "-w", "--interval", "200ms");
        await().atMost(30, TimeUnit.SECONDS).until(() -> cli.out().contains("copy: 40% of 905 MB"));
        assertThat(watching).isNotDone();
        pod.exit(0);

        assertThat(watching.get(30, TimeUnit.SECONDS)).isZero();
        String out = cli.out();
        assertThat(out).containsPattern(Pattern.compile("^\\d\\d:\\d\\d:\\d\\d migration shop-to-cnpg: no ledger", Pattern.MULTILINE))
                .contains("log of migration-1:", "  preflight: ok", "  copy: 40% of 905 MB, 3/12 tables, ETA 12s")
                .containsPattern("migration +migration-1 .*Complete, exit 0")
                .endsWith("status -w: the migration Job has ended\n");
        // each line once, not a copy of the whole view per interval
        assertThat(out.split("jobs:", -1)).hasSize(2);
        assertThat(out.split("copy: 40%", -1)).hasSize(2);
    }

    @Test
    void withNothingRunningItShowsOnceAndSaysSo() {
        assertThat(cli.run("status", "-w")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("jobs:").endsWith("status -w: no migration Job is running; shown once\n");
    }

    @Test
    void watchingJsonIsRefused() {
        assertThat(cli.run("status", "-w", "-o", "json")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: -w shows text: leave out -o json\n");
    }
}
