package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part of Kubernetes a CRUD mock server lacks: a loop that, like the Deployment and StatefulSet
 * controllers, makes the pods match {@code spec.replicas} and reports a finished rollout (observed
 * generation, updated and ready replicas).
 * {@link #stall()} stops it, to simulate pods that refuse to go away or to come back.
 */
public final class FakeWorkloadController implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final AtomicBoolean stalled = new AtomicBoolean();

    public FakeWorkloadController(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::reconcileQuietly, 0, 50, TimeUnit.MILLISECONDS);
    }

    public static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("example/" + name).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    public static StatefulSet statefulSet(String name, int replicas) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("example/" + name).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    public void stall() {
        stalled.set(true);
    }

    public void resume() {
        stalled.set(false);
    }

    private void reconcileQuietly() {
        if (stalled.get()) {
            return;
        }
        try {
            client.apps().deployments().inNamespace(namespace).list().getItems().forEach(d -> {
                int ready = reconcile(d, d.getSpec().getReplicas(), d.getSpec().getSelector());
                if (d.getStatus() == null || !Integer.valueOf(ready).equals(d.getStatus().getReadyReplicas())
                        || d.getStatus().getObservedGeneration() == null || d.getStatus().getObservedGeneration() != generation(d)) {
                    client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName())
                            .editStatus(x -> new DeploymentBuilder(x).withNewStatus().withObservedGeneration(generation(x)).withReplicas(ready)
                                    .withUpdatedReplicas(ready).withReadyReplicas(ready).endStatus().build());
                }
            });
            client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(s -> {
                int ready = reconcile(s, s.getSpec().getReplicas(), s.getSpec().getSelector());
                if (s.getStatus() == null || !Integer.valueOf(ready).equals(s.getStatus().getReadyReplicas())
                        || s.getStatus().getObservedGeneration() == null || s.getStatus().getObservedGeneration() != generation(s)) {
                    client.apps().statefulSets().inNamespace(namespace).withName(s.getMetadata().getName())
                            .editStatus(x -> new StatefulSetBuilder(x).withNewStatus().withObservedGeneration(generation(x)).withReplicas(ready)
                                    .withUpdatedReplicas(ready).withReadyReplicas(ready).endStatus().build());
                }
            });
        } catch (RuntimeException e) {
            // the mock server is shutting down, or a write raced the test: the next round fixes it
        }
    }

    /** The mock server keeps no generation; a rollout that is done has seen the latest one. */
    private static long generation(HasMetadata w) {
        return w.getMetadata().getGeneration() == null ? 1 : w.getMetadata().getGeneration();
    }

    /** Creates or deletes pods until they match the replicas; returns how many there are. */
    private int reconcile(HasMetadata owner, Integer replicas, LabelSelector selector) {
        int wanted = replicas == null ? 1 : replicas;
        Map<String, String> labels = selector.getMatchLabels();
        List<Pod> pods = client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
        for (int i = pods.size(); i < wanted; i++) {
            client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata()
                    .withName(owner.getMetadata().getName() + "-" + i).withLabels(labels).endMetadata()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
        }
        for (int i = wanted; i < pods.size(); i++) {
            client.pods().inNamespace(namespace).resource(pods.get(i)).delete();
        }
        return wanted;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
