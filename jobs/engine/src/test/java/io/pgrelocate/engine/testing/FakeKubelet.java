package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code shared/k8s/fake-kubelet.sh} does, in the test JVM: the control plane has no kubelet, so
 * the pods the controllers create stay Pending; this marks each one of a namespace Running and Ready,
 * which makes Deployments and StatefulSets count it as ready.
 */
public final class FakeKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    FakeKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        loop.scheduleWithFixedDelay(this::round, 0, 300, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
                if (p.getMetadata().getDeletionTimestamp() == null && !"Running".equals(p.getStatus().getPhase())) {
                    String now = Instant.now().toString();
                    List<PodCondition> ready = List.of(condition("PodScheduled", now), condition("Ready", now), condition("ContainersReady", now));
                    client.pods().inNamespace(namespace).resource(new PodBuilder(p).editStatus().withPhase("Running")
                            .withConditions(ready).endStatus().build()).updateStatus();
                }
            }
        } catch (RuntimeException e) {
            // a pod deleted or changed meanwhile: the next round sees it as it is now
        }
    }

    private static PodCondition condition(String type, String now) {
        return new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build();
    }

    @Override
    public void close() {
        stop(loop);
    }

    /** Stops a test loop and waits for its current round to end. */
    static void stop(ScheduledExecutorService loop) {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
