package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Secrets and ConfigMaps a pod spec refers to: env, envFrom and volumes. */
final class PodReferences {
    private PodReferences() {
    }

    /** One reference; {@code key} is null when the whole object is used. */
    record Ref(boolean secret, String name, String key, boolean optional) {
    }

    static List<Ref> of(PodSpec pod) {
        List<Ref> refs = new ArrayList<>();
        Stream.concat(stream(pod.getInitContainers()), stream(pod.getContainers())).forEach(c -> {
            for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                var from = v.getValueFrom();
                if (from != null && from.getSecretKeyRef() != null) {
                    var s = from.getSecretKeyRef();
                    refs.add(new Ref(true, s.getName(), s.getKey(), Boolean.TRUE.equals(s.getOptional())));
                }
                if (from != null && from.getConfigMapKeyRef() != null) {
                    var m = from.getConfigMapKeyRef();
                    refs.add(new Ref(false, m.getName(), m.getKey(), Boolean.TRUE.equals(m.getOptional())));
                }
            }
            for (EnvFromSource f : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                if (f.getSecretRef() != null) {
                    refs.add(new Ref(true, f.getSecretRef().getName(), null, Boolean.TRUE.equals(f.getSecretRef().getOptional())));
                }
                if (f.getConfigMapRef() != null) {
                    refs.add(new Ref(false, f.getConfigMapRef().getName(), null, Boolean.TRUE.equals(f.getConfigMapRef().getOptional())));
                }
            }
        });
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            if (v.getSecret() != null) {
                refs.add(new Ref(true, v.getSecret().getSecretName(), null, Boolean.TRUE.equals(v.getSecret().getOptional())));
            }
            if (v.getConfigMap() != null) {
                refs.add(new Ref(false, v.getConfigMap().getName(), null, Boolean.TRUE.equals(v.getConfigMap().getOptional())));
            }
        }
        return refs;
    }

    private static Stream<Container> stream(List<Container> containers) {
        return containers == null ? Stream.empty() : containers.stream();
    }
}
