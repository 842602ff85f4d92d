package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Deployments and StatefulSets seen through what freeze/thaw needs: replicas, scale, pods, readiness. */
final class Workloads {
    private final KubernetesClient client;
    private final String namespace;

    Workloads(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The workload's desired replicas, or empty when it does not exist. */
    Optional<Integer> replicas(WorkloadRef ref) {
        HasMetadata w = get(ref);
        if (w == null) {
            return Optional.empty();
        }
        Integer r = w instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) w).getSpec().getReplicas();
        return Optional.of(r == null ? 1 : r); // the API server's default for an unset count
    }

    /** Sets the replicas through the {@code /scale} subresource, so nothing else in the spec is touched. */
    void scale(WorkloadRef ref, int replicas) {
        // the controller and an autoscaler write /scale too: a 409 is tried again on the scale as it is then
        KubeCalls.againOnConflict(() -> KubeCalls.run("scale " + ref + " to " + replicas, () -> switch (ref.kind()) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name()).scale(replicas);
            case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name()).scale(replicas);
        }));
    }

    /** Pods selected by the workload's selector that still exist. */
    List<Pod> pods(WorkloadRef ref) {
        return KubeCalls.run("list the pods of " + ref, () -> client.pods().inNamespace(namespace)
                .withLabelSelector(selector(ref)).list().getItems());
    }

    /**
     * Waits until the workload has no pod left; false on timeout.
     */
    boolean awaitNoPods(WorkloadRef ref, Duration timeout) {
        return Poll.until(() -> pods(ref).isEmpty() ? Optional.of(true) : Optional.<Boolean>empty(), timeout).isPresent();
    }

    /**
     * Waits until the workload's rollout is done, as {@code kubectl rollout status} sees it: the
     * controller saw the latest spec, {@code replicas} pods run the current template and are ready, and
     * no pod of an older template is left (after a restart, old pods are ready too, with the old
     * settings). False on timeout.
     */
    boolean awaitReady(WorkloadRef ref, int replicas, Duration timeout) {
        if (replicas == 0) {
            return true;
        }
        long millis = Math.max(1, timeout.toMillis());
        try {
            KubeCalls.run("wait for " + ref + " to be ready", () -> switch (ref.kind()) {
                case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name())
                        .waitUntilCondition(d -> d != null && rolledOut(d, replicas), millis, TimeUnit.MILLISECONDS);
                case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name())
                        .waitUntilCondition(s -> s != null && rolledOut(s, replicas), millis, TimeUnit.MILLISECONDS);
            });
            return true;
        } catch (EngineException e) {
            if (e.getCause() instanceof KubernetesClientTimeoutException) {
                return false;
            }
            throw e;
        }
    }

    private static boolean rolledOut(Deployment d, int replicas) {
        DeploymentStatus s = d.getStatus();
        return s != null && seen(d, s.getObservedGeneration()) && atLeast(s.getUpdatedReplicas(), replicas)
                && atLeast(s.getReadyReplicas(), replicas) && Objects.equals(s.getReplicas(), s.getUpdatedReplicas());
    }

    private static boolean rolledOut(StatefulSet sts, int replicas) {
        StatefulSetStatus s = sts.getStatus();
        return s != null && seen(sts, s.getObservedGeneration()) && atLeast(s.getUpdatedReplicas(), replicas)
                && atLeast(s.getReadyReplicas(), replicas) && Objects.equals(s.getCurrentRevision(), s.getUpdateRevision());
    }

    private static boolean seen(HasMetadata w, Long observedGeneration) {
        Long generation = w.getMetadata().getGeneration();
        return observedGeneration != null && (generation == null || observedGeneration >= generation);
    }

    /** For a message after a timeout: {@code 1/3 ready}, and whether pods of an older template are still there. */
    String progress(WorkloadRef ref, int replicas) {
        HasMetadata w = get(ref);
        boolean done = w instanceof Deployment d ? rolledOut(d, replicas) : w instanceof StatefulSet s && rolledOut(s, replicas);
        Integer ready = w instanceof Deployment d ? (d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
                : w instanceof StatefulSet s ? (s.getStatus() == null ? null : s.getStatus().getReadyReplicas()) : null;
        return (ready == null ? 0 : ready) + "/" + replicas + " ready" + (done || ready == null || ready < replicas ? ""
                : ", but pods of the previous template are still running (rollout not finished)");
    }

    /** The workload's pod template; a workload that does not exist is a bad setting. */
    PodTemplateSpec template(WorkloadRef ref) {
        HasMetadata w = get(ref);
        if (w == null) {
            throw new EngineException(ExitCode.BAD_SETTINGS, ref + " not found in namespace " + namespace + "; nothing was changed");
        }
        return w instanceof Deployment d ? d.getSpec().getTemplate() : ((StatefulSet) w).getSpec().getTemplate();
    }

    /**
     * Changes the pod template (annotations always present) in one write, which makes the controller
     * replace the pods. {@code change} sees the template as it is at the write, also when the
     * controller wrote the workload meanwhile, and may refuse by throwing.
     */
    void updateTemplate(WorkloadRef ref, UnaryOperator<PodTemplateSpec> change) {
        String what = "update " + ref;
        switch (ref.kind()) {
            case DEPLOYMENT -> KubeCalls.write(client, what, client.apps().deployments().inNamespace(namespace).withName(ref.name()), d -> {
                exists(ref, d).getSpec().setTemplate(change.apply(withAnnotations(d.getSpec().getTemplate())));
                return d;
            });
            case STATEFULSET -> KubeCalls.write(client, what, client.apps().statefulSets().inNamespace(namespace).withName(ref.name()), s -> {
                exists(ref, s).getSpec().setTemplate(change.apply(withAnnotations(s.getSpec().getTemplate())));
                return s;
            });
        }
    }

    private <T> T exists(WorkloadRef ref, T workload) {
        if (workload == null) {
            throw new EngineException(ExitCode.BAD_SETTINGS, ref + " no longer exists in namespace " + namespace);
        }
        return workload;
    }

    private static PodTemplateSpec withAnnotations(PodTemplateSpec t) {
        if (t.getMetadata() == null) {
            t.setMetadata(new ObjectMeta());
        }
        if (t.getMetadata().getAnnotations() == null) {
            t.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        return t;
    }

    private static boolean atLeast(Integer count, int wanted) {
        return count != null && count >= wanted;
    }

    private LabelSelector selector(WorkloadRef ref) {
        HasMetadata w = get(ref);
        LabelSelector selector = w instanceof Deployment d ? d.getSpec().getSelector()
                : w instanceof StatefulSet s ? s.getSpec().getSelector() : null;
        if (selector == null) {
            throw new EngineException(ExitCode.KUBERNETES,
                    ref + " in namespace " + namespace + " has no pod selector (or no longer exists)");
        }
        return selector;
    }

    HasMetadata get(WorkloadRef ref) {
        return KubeCalls.run("read " + ref, () -> switch (ref.kind()) {
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(ref.name()).get();
            case STATEFULSET -> client.apps().statefulSets().inNamespace(namespace).withName(ref.name()).get();
        });
    }
}
