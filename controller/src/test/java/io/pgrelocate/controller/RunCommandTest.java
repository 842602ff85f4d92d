package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.engine.kube.JobLauncher;
import io.pgrelocate.engine.testing.FakeJobRun;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.TemplateFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** `pgrelocate run`: the Job it creates, what it refuses before creating anything, and its exit code. */
@EnableKubernetesMockClient(crud = true, https = false)
class RunCommandTest {
    static final String NS = "shop";

    KubernetesMockServer server;
    KubernetesClient client;
    CronJob template;
    Cli cli;

    @BeforeEach
    void templateAndItsSecrets() {
        template = client.batch().v1().cronjobs().inNamespace(NS).resource(TemplateFixture.migration(NS)).create();
        TemplateFixture.prerequisites(client, NS, Map.of("PGRELOCATE_MIGRATION", "shop-to-cnpg"));
        // the kubeconfig's context names the namespace: no test passes -n unless it tests -n
        cli = Cli.against(MockKubeconfig.write(server, NS));
    }

    @Test
    void runCreatesTheJobAsKubectlWouldFollowsItAndExitsWithItsExitCode() throws Exception {
        var running = cli.start("run", "migration", "--name", "migration-1");
        FakeJobRun pod = new FakeJobRun(server, client, NS, "migration-1");
        await().until(() -> job("migration-1") != null);
        pod.podPending().log("verify: table public.follows: source 30000 rows, target 29999 rows\n").running().exit(12);

        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(12);
        assertThat(cli.out()).startsWith("job.batch/migration-1 created\n")
                .contains("verify: table public.follows: source 30000 rows, target 29999 rows\n");
        assertThat(cli.err()).contains("error: job.batch/migration-1 Failed (BackoffLimitExceeded), exit 12: verification found differences");
        Job created = job("migration-1");
        Job expected = JobLauncher.fromCronJob(template, "migration-1");
        assertThat(created.getMetadata().getLabels()).isEqualTo(expected.getMetadata().getLabels());
        assertThat(created.getMetadata().getAnnotations()).isEqualTo(expected.getMetadata().getAnnotations());
        assertThat(created.getMetadata().getOwnerReferences()).isEqualTo(expected.getMetadata().getOwnerReferences());
        assertThat(created.getSpec()).isEqualTo(expected.getSpec());
    }

    @Test
    void envSetsASettingForThisRunAndACompletedJobExitsZero() throws Exception {
        var running = cli.start("run", "pgrelocate-migration", "--name", "migration-2", "--env", "PGRELOCATE_DRY_RUN=true");
        await().until(() -> job("migration-2") != null);
        new FakeJobRun(server, client, NS, "migration-2").podPending().log("dry run: preflight passed; nothing was copied\n").running().exit(0);

        assertThat(running.get(30, TimeUnit.SECONDS)).as(cli.err()).isZero();
        assertThat(cli.out()).endsWith("dry run: preflight passed; nothing was copied\njob.batch/migration-2 completed\n");
        assertThat(job("migration-2").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("PGRELOCATE_DRY_RUN=true"));
    }

    @Test
    void aJobNameAlreadyTakenIsRefusedAndTheExistingJobIsLeftAlone() {
        Job existing = client.batch().v1().jobs().inNamespace(NS).resource(JobLauncher.fromCronJob(template, "migration-1")).create();

        assertThat(cli.run("run", "migration", "--name", "migration-1")).as(cli.err()).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("error: a Job named migration-1 already exists in namespace shop; nothing was created: "
                + "pick another --name (finished Jobs are kept 7 days for their logs)\n");
        assertThat(job("migration-1").getMetadata().getUid()).isEqualTo(existing.getMetadata().getUid());
    }

    @Test
    void dryRunPrintsTheJobAndCreatesNothing() {
        assertThat(cli.run("run", "migration", "--name", "migration-3", "--dry-run")).isZero();

        Job printed = Serialization.unmarshal(cli.out(), Job.class);
        assertThat(printed.getMetadata().getName()).isEqualTo("migration-3");
        assertThat(printed.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
        assertThat(printed.getSpec()).isEqualTo(template.getSpec().getJobTemplate().getSpec());
        assertThat(cli.err()).isEqualTo("dry run: job.batch/migration-3 was not created\n");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void aMissingSecretIsRefusedWithExit2BeforeAnyJobExists() {
        client.secrets().inNamespace(NS).withName("pgrelocate-target").delete();
        await().until(() -> client.secrets().inNamespace(NS).withName("pgrelocate-target").get() == null);

        assertThat(cli.run("run", "migration")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: Secret shop/pgrelocate-target does not exist (pgrelocate-migration needs it; no Job was created)\n");
        assertThat(cli.run("run", "migration", "--dry-run")).isEqualTo(2);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void secretsAndForeignVariablesAreRefusedOnTheCommandLine() {
        assertThat(cli.run("run", "migration", "--env", "PGRELOCATE_SOURCE_PASSWORD=hunter2")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: --env PGRELOCATE_SOURCE_PASSWORD: secrets never go on a command line")
                .contains("put it in the Secret the template refers to").doesNotContain("hunter2");
        cli.clear();
        assertThat(cli.run("run", "migration", "--env", "PGRELOCATE_TARGET_URI=postgresql://app:hunter2@db/app")).isEqualTo(2);
        assertThat(cli.err()).contains("a URI can carry a password").doesNotContain("hunter2");
        cli.clear();
        assertThat(cli.run("run", "migration", "--env", "JAVA_TOOL_OPTIONS=-Xmx1g")).isEqualTo(2);
        assertThat(cli.err()).startsWith("error: --env JAVA_TOOL_OPTIONS: only PGRELOCATE_* settings");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void anUnknownJobIsAUsageErrorNamingTheFive() {
        assertThat(cli.run("run", "migrate")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("error: unknown job 'migrate': one of backup-test, cnpg-prepare, migration, validation, cleanup\n");
    }

    @Test
    void aPodThatCannotStartEndsTheFollowWithExit16AndLeavesTheJob() throws Exception {
        var running = cli.start("run", "migration", "--name", "migration-4", "--timeout", "2s");
        await().until(() -> job("migration-4") != null);
        new FakeJobRun(server, client, NS, "migration-4").podPending()
                .waiting("CreateContainerConfigError", "couldn't find key password in Secret shop/pgrelocate-source");

        assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo(16);
        assertThat(cli.err()).contains("did not start within 2s (CreateContainerConfigError: couldn't find key password");
        assertThat(job("migration-4")).isNotNull();
    }

    @Test
    void helpTeachesWhatItDoesAnExampleAndTheExitCodes() {
        assertThat(cli.run("run", "--help")).isZero();
        assertThat(cli.outFlat()).contains("kubectl create job NAME --from=cronjob/pgrelocate-<job>",
                "Example: pgrelocate run migration", "backup-test, cnpg-prepare, migration, validation, cleanup",
                "16 stopped following", "--kubeconfig", "--context", "--namespace");
    }

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }
}
