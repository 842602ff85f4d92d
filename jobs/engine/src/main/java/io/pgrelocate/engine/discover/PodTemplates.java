package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What both flavours read from a database StatefulSet's pod template. */
final class PodTemplates {
    private PodTemplates() {
    }

    static PodSpec spec(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec();
    }

    /** The container running PostgreSQL: the one with the chart's or operator's name, else the first. */
    static Optional<Container> postgres(StatefulSet sts, String name) {
        List<Container> containers = Objects.requireNonNullElse(spec(sts).getContainers(), List.of());
        return containers.stream().filter(c -> name.equals(c.getName())).findFirst().or(() -> containers.stream().findFirst());
    }

    static List<String> pullSecrets(StatefulSet sts) {
        return Objects.requireNonNullElse(spec(sts).getImagePullSecrets(), List.<LocalObjectReference>of()).stream()
                .map(LocalObjectReference::getName).toList();
    }
}
