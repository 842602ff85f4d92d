package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.testing.FakeJobRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true, https = false)
class JobFollowerTest {
    static final String NS = "pgrelocate";
    static final String JOB = "pgrelocate-migration-1";
    static final String LOG = "migration: preflight, copy, verify\nresult  SUCCESS\n";

    KubernetesMockServer server;
    KubernetesClient client;
    FakeJobRun run;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void jobWithAPendingPod() {
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata().withName(JOB).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("main").withImage("pgrelocate/migration")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
        run = new FakeJobRun(server, client, NS, JOB).podPending();
    }

    @Test
    void followStreamsTheLogOnceThePodRunsAndReturnsSuccess() throws Exception {
        run.log(LOG);
        var following = CompletableFuture.supplyAsync(() -> follower().follow(JOB, out, Duration.ofSeconds(20)));

        run.running().exit(0);

        JobFollower.JobResult result = following.get(30, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.pod()).isEqualTo(run.pod());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(LOG);
    }

    @Test
    void aFailedJobReturnsItsContainersExitCode() throws Exception {
        run.log("verify: table public.follows: source 30000 rows, target 29999 rows\n").running();
        var following = CompletableFuture.supplyAsync(() -> follower().follow(JOB, out, Duration.ofSeconds(20)));

        run.exit(12);

        JobFollower.JobResult result = following.get(30, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(12);
        assertThat(result.reason()).isEqualTo("Failed (BackoffLimitExceeded)");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("target 29999 rows");
    }

    @Test
    void aPodThatNeverStartsGivesUpWithExit16AndTheReason() {
        run.waiting("CreateContainerConfigError", "secret \"pgrelocate-source\" not found");

        assertThatThrownBy(() -> follower().follow(JOB, out, Duration.ofSeconds(1)))
                .isInstanceOf(EngineException.class)
                .hasMessage("the pod of Job pgrelocate/" + JOB + " did not start within 1s (CreateContainerConfigError: "
                        + "secret \"pgrelocate-source\" not found); the Job is left in place: kubectl describe job " + JOB + " -n " + NS)
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.JOB_UNFINISHED);
    }

    @Test
    void aJobStillRunningAtTheTimeoutIsLeftRunningWithExit16() {
        run.log("copy: 3 of 40 tables\n").running();

        assertThatThrownBy(() -> follower().follow(JOB, out, Duration.ofSeconds(2)))
                .hasMessage("Job pgrelocate/" + JOB + " is still running; stopped following it (it goes on): kubectl logs -f job/"
                        + JOB + " -n " + NS)
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.JOB_UNFINISHED);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName(JOB).get()).isNotNull();
    }

    @Test
    void logReturnsTheLogSoFarAndResultIfFinishedReadsTheJob() {
        run.log(LOG).exit(0);

        assertThat(follower().log(JOB)).isEqualTo(LOG);
        var job = client.batch().v1().jobs().inNamespace(NS).withName(JOB).get();
        assertThat(follower().resultIfFinished(job)).hasValueSatisfying(r -> assertThat(r.exitCode()).isZero());
    }

    JobFollower follower() {
        return new JobFollower(client, NS, Clock.systemUTC());
    }
}
