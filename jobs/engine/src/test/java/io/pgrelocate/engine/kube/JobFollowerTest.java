package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
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
    static final String POD = JOB + "-x7k2p";
    static final String LOG = "migration: preflight, copy, verify\nresult  SUCCESS\n";

    KubernetesMockServer server;
    KubernetesClient client;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void jobWithAPendingPod() {
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata().withName(JOB).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("migration").withImage("pgrelocate/migration")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(POD).addToLabels("job-name", JOB).endMetadata()
                .withNewStatus().withPhase("Pending").endStatus().build()).create();
    }

    @Test
    void followStreamsTheLogOnceThePodRunsAndReturnsSuccess() throws Exception {
        serveLog("/log?pretty=false&follow=true", LOG);
        var following = CompletableFuture.supplyAsync(() -> follower().follow(JOB, out, Duration.ofSeconds(20)));

        podPhase("Running", running());
        podPhase("Succeeded", terminated(0, "Completed"));
        jobCondition("Complete", null);

        JobFollower.JobResult result = following.get(30, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.pod()).isEqualTo(POD);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(LOG);
    }

    @Test
    void aFailedJobReturnsItsContainersExitCode() throws Exception {
        serveLog("/log?pretty=false&follow=true", "verify: table public.follows: source 30000 rows, target 29999 rows\n");
        podPhase("Running", running());
        var following = CompletableFuture.supplyAsync(() -> follower().follow(JOB, out, Duration.ofSeconds(20)));

        podPhase("Failed", terminated(12, "Error"));
        jobCondition("Failed", "BackoffLimitExceeded");

        JobFollower.JobResult result = following.get(30, TimeUnit.SECONDS);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(12);
        assertThat(result.reason()).isEqualTo("Failed (BackoffLimitExceeded)");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("target 29999 rows");
    }

    @Test
    void aPodThatNeverStartsGivesUpWithExit16AndTheReason() {
        podPhase("Pending", new ContainerStatusBuilder().withName("migration").withNewState().withNewWaiting()
                .withReason("CreateContainerConfigError").withMessage("secret \"pgrelocate-source\" not found")
                .endWaiting().endState().build());

        assertThatThrownBy(() -> follower().follow(JOB, out, Duration.ofSeconds(1)))
                .isInstanceOf(EngineException.class)
                .hasMessage("the pod of Job pgrelocate/" + JOB + " did not start within 1s (CreateContainerConfigError: "
                        + "secret \"pgrelocate-source\" not found); the Job is left in place: kubectl describe job " + JOB + " -n " + NS)
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.JOB_UNFINISHED);
    }

    @Test
    void aJobStillRunningAtTheTimeoutIsLeftRunningWithExit16() {
        serveLog("/log?pretty=false&follow=true", "copy: 3 of 40 tables\n");
        podPhase("Running", running());

        assertThatThrownBy(() -> follower().follow(JOB, out, Duration.ofSeconds(2)))
                .hasMessage("Job pgrelocate/" + JOB + " is still running; stopped following it (it goes on): pgrelocate logs "
                        + JOB + " -n " + NS)
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.JOB_UNFINISHED);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName(JOB).get()).isNotNull();
    }

    @Test
    void logReturnsTheLogSoFarAndResultIfFinishedReadsTheJob() {
        serveLog("/log?pretty=false", LOG);
        podPhase("Succeeded", terminated(0, "Completed"));
        jobCondition("Complete", null);

        assertThat(follower().log(JOB)).isEqualTo(LOG);
        var job = client.batch().v1().jobs().inNamespace(NS).withName(JOB).get();
        assertThat(follower().resultIfFinished(job)).hasValueSatisfying(r -> assertThat(r.exitCode()).isZero());
    }

    JobFollower follower() {
        return new JobFollower(client, NS, Clock.systemUTC());
    }

    /** The mock server has no kubelet: a pod's log is whatever this expectation serves. */
    void serveLog(String pathAndQuery, String text) {
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + POD + pathAndQuery).andReturn(200, text).always();
    }

    void podPhase(String phase, ContainerStatus container) {
        client.pods().inNamespace(NS).withName(POD).editStatus(p -> new PodBuilder(p).editStatus().withPhase(phase)
                .withContainerStatuses(container).endStatus().build());
    }

    void jobCondition(String type, String reason) {
        client.batch().v1().jobs().inNamespace(NS).withName(JOB).editStatus(j -> new JobBuilder(j).withNewStatus()
                .addNewCondition().withType(type).withStatus("True").withReason(reason).endCondition().endStatus().build());
    }

    static ContainerStatus running() {
        return new ContainerStatusBuilder().withName("migration").withNewState().withNewRunning().endRunning().endState().build();
    }

    static ContainerStatus terminated(int exitCode, String reason) {
        return new ContainerStatusBuilder().withName("migration").withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).endTerminated().endState().build();
    }
}
