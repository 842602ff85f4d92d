package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.kube.KubeCalls;

/**
 * What the Job controller and the kubelet do for one Job, which a CRUD mock server does not: its pod
 * (label {@code job-name}), the pod's phases, its log, and the Job's Complete/Failed condition.
 */
public final class FakeJobRun {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String namespace;
    private final String job;

    public FakeJobRun(KubernetesMockServer server, KubernetesClient client, String namespace, String job) {
        this.server = server;
        this.client = client;
        this.namespace = namespace;
        this.job = job;
    }

    public String pod() {
        return job + "-x7k2p";
    }

    public FakeJobRun podPending() {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod()).addToLabels("job-name", job)
                .endMetadata().withNewStatus().withPhase("Pending").endStatus().build()).create();
        return this;
    }

    /** The mock server has no kubelet: the pod's log, followed or not, is what this serves. */
    public FakeJobRun log(String text) {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + pod() + "/log?pretty=false";
        server.expect().get().withPath(path + "&follow=true").andReturn(200, text).always();
        server.expect().get().withPath(path).andReturn(200, text).always();
        return this;
    }

    /** A pod that cannot start, e.g. CreateContainerConfigError for a Secret that is missing. */
    public FakeJobRun waiting(String reason, String message) {
        return podPhase("Pending", new ContainerStatusBuilder().withName("main").withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().build());
    }

    public FakeJobRun running() {
        return podPhase("Running", new ContainerStatusBuilder().withName("main").withNewState().withNewRunning().endRunning()
                .endState().build());
    }

    /** The container exits; 0 completes the Job, anything else fails it as backoffLimit 0 does. */
    public FakeJobRun exit(int code) {
        podPhase(code == 0 ? "Succeeded" : "Failed", new ContainerStatusBuilder().withName("main").withNewState().withNewTerminated()
                .withExitCode(code).withReason(code == 0 ? "Completed" : "Error").endTerminated().endState().build());
        // through KubeCalls, which sends a write again when the mock server had closed the kept-alive connection
        KubeCalls.run("end the Job", () -> client.batch().v1().jobs().inNamespace(namespace).withName(job)
                .editStatus(j -> new JobBuilder(j).withNewStatus().addNewCondition().withType(code == 0 ? "Complete" : "Failed").withStatus("True")
                .withReason(code == 0 ? null : "BackoffLimitExceeded").endCondition().endStatus().build()));
        return this;
    }

    private FakeJobRun podPhase(String phase, ContainerStatus container) {
        KubeCalls.run("set the pod phase", () -> client.pods().inNamespace(namespace).withName(pod())
                .editStatus(p -> new PodBuilder(p).editStatus().withPhase(phase)
                .withContainerStatuses(container).endStatus().build()));
        return this;
    }
}
