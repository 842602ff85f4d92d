package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a Job the way a user at {@code kubectl logs -f} would: waits for its pod to start, streams
 * the pod's log, waits for the Job to finish, and returns the container's exit code, so the
 * controller can exit with the Job's own result.
 */
public final class JobFollower {
    static final String JOB_NAME_LABEL = "job-name";
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public JobFollower(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** How a Job ended. {@code exitCode} is the container's, or the controller's own code when there is none. */
    public record JobResult(String job, String pod, boolean succeeded, int exitCode, String reason) {
    }

    /** Streams the log of the Job's pod to {@code out} until the Job finishes or {@code timeout} passes. */
    public JobResult follow(String job, OutputStream out, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        Pod pod = awaitStartedPod(job, timeout);
        try (LogWatch log = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).watchLog(out)) {
            Job finished = awaitFinished(job, Duration.between(clock.instant(), deadline));
            drain(log);
            return result(finished);
        }
    }

    /** The Job can be seen finished before the last lines of its log reach us: let the stream end first. */
    private static void drain(LogWatch log) {
        try {
            log.onClose().toCompletableFuture().get(LOG_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the tail of the log may be missing from the screen; the Job's result still stands
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The log so far of the Job's newest pod. */
    public String log(String job) {
        Pod pod = newestPod(job).orElseThrow(() -> new EngineException(ExitCode.KUBERNETES,
                "Job " + namespace + "/" + job + " has no pod (yet)"));
        return KubeCalls.run("read the log of " + pod.getMetadata().getName(),
                () -> client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).getLog());
    }

    /** The result of a Job that has finished; empty while it runs. */
    public Optional<JobResult> resultIfFinished(Job job) {
        return finished(job) ? Optional.of(result(job)) : Optional.empty();
    }

    static boolean finished(Job job) {
        return condition(job, "Complete") || condition(job, "Failed");
    }

    private JobResult result(Job job) {
        String name = job.getMetadata().getName();
        boolean complete = condition(job, "Complete");
        Optional<Pod> pod = newestPod(name);
        Optional<ContainerStatus> container = pod.flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? Optional.empty() : p.getStatus().getContainerStatuses().stream().findFirst());
        Integer exit = container.map(ContainerStatus::getState).filter(s -> s.getTerminated() != null)
                .map(s -> s.getTerminated().getExitCode()).orElse(null);
        String reason = job.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .map(c -> c.getType() + (c.getReason() == null ? "" : " (" + c.getReason() + ")")).findFirst().orElse("");
        int code = complete ? 0 : exit != null && exit != 0 ? exit : ExitCode.FAILED.code();
        return new JobResult(name, pod.map(p -> p.getMetadata().getName()).orElse(null), complete, code, reason);
    }

    private Pod awaitStartedPod(String job, Duration timeout) {
        return Poll.until(() -> KubeCalls.run("list the pods of Job " + job, () -> client.pods().inNamespace(namespace)
                        .withLabel(JOB_NAME_LABEL, job).list().getItems()).stream().filter(JobFollower::started).findFirst(), timeout)
                .orElseThrow(() -> new EngineException(ExitCode.JOB_UNFINISHED, "the pod of Job " + namespace + "/" + job
                        + " did not start within " + timeout.toSeconds() + "s"
                        + newestPod(job).map(JobFollower::waitingReason).orElse(" (no pod was created)")
                        + "; the Job is left in place: kubectl describe job " + job + " -n " + namespace));
    }

    private Job awaitFinished(String job, Duration timeout) {
        try {
            return client.batch().v1().jobs().inNamespace(namespace).withName(job)
                    .waitUntilCondition(j -> j != null && finished(j), Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new EngineException(ExitCode.JOB_UNFINISHED, "Job " + namespace + "/" + job
                    + " is still running; stopped following it (it goes on): kubectl logs -f job/" + job + " -n " + namespace);
        }
    }

    private Optional<Pod> newestPod(String job) {
        return KubeCalls.run("list the pods of Job " + job, () -> client.pods().inNamespace(namespace)
                .withLabel(JOB_NAME_LABEL, job).list().getItems()).stream()
                .max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    }

    private static boolean started(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    /** Why a pending pod waits, e.g. CreateContainerConfigError for a missing Secret. */
    private static String waitingReason(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return " (pod " + pod.getMetadata().getName() + " is pending)";
        }
        return pod.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
                .filter(s -> s != null && s.getWaiting() != null)
                .map(s -> " (" + s.getWaiting().getReason() + (s.getWaiting().getMessage() == null ? "" : ": " + s.getWaiting().getMessage()) + ")")
                .findFirst().orElse(" (pod " + pod.getMetadata().getName() + " is pending)");
    }

    private static boolean condition(Job job, String type) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
