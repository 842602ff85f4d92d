package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Secrets and ConfigMaps a pod spec refers to, each of which keeps the pod from starting when it
 * is missing: env, envFrom, and volumes (plain or projected, with the keys they pick).
 */
public final class PodReferences {
    private PodReferences() {
    }

    /** One reference; {@code key} is null when the whole object is used. */
    public record Ref(boolean secret, String name, String key, boolean optional) {
    }

    public static List<Ref> of(PodSpec pod) {
        List<Ref> refs = new ArrayList<>();
        Stream.concat(stream(pod.getInitContainers()), stream(pod.getContainers())).forEach(c -> {
            for (EnvVar v : orEmpty(c.getEnv())) {
                var from = v.getValueFrom();
                if (from != null && from.getSecretKeyRef() != null) {
                    var s = from.getSecretKeyRef();
                    refs.add(new Ref(true, s.getName(), s.getKey(), isTrue(s.getOptional())));
                }
                if (from != null && from.getConfigMapKeyRef() != null) {
                    var m = from.getConfigMapKeyRef();
                    refs.add(new Ref(false, m.getName(), m.getKey(), isTrue(m.getOptional())));
                }
            }
            for (EnvFromSource f : orEmpty(c.getEnvFrom())) {
                if (f.getSecretRef() != null) {
                    refs.add(new Ref(true, f.getSecretRef().getName(), null, isTrue(f.getSecretRef().getOptional())));
                }
                if (f.getConfigMapRef() != null) {
                    refs.add(new Ref(false, f.getConfigMapRef().getName(), null, isTrue(f.getConfigMapRef().getOptional())));
                }
            }
        });
        for (Volume v : orEmpty(pod.getVolumes())) {
            if (v.getSecret() != null) {
                add(refs, true, v.getSecret().getSecretName(), v.getSecret().getItems(), v.getSecret().getOptional());
            }
            if (v.getConfigMap() != null) {
                add(refs, false, v.getConfigMap().getName(), v.getConfigMap().getItems(), v.getConfigMap().getOptional());
            }
            for (VolumeProjection p : v.getProjected() == null ? List.<VolumeProjection>of() : orEmpty(v.getProjected().getSources())) {
                if (p.getSecret() != null) {
                    add(refs, true, p.getSecret().getName(), p.getSecret().getItems(), p.getSecret().getOptional());
                }
                if (p.getConfigMap() != null) {
                    add(refs, false, p.getConfigMap().getName(), p.getConfigMap().getItems(), p.getConfigMap().getOptional());
                }
            }
        }
        return refs;
    }

    /** A volume uses the whole object, or only the keys its items name (each of which must exist). */
    private static void add(List<Ref> refs, boolean secret, String name, List<KeyToPath> items, Boolean optional) {
        if (items == null || items.isEmpty()) {
            refs.add(new Ref(secret, name, null, isTrue(optional)));
        } else {
            items.forEach(i -> refs.add(new Ref(secret, name, i.getKey(), isTrue(optional))));
        }
    }

    private static boolean isTrue(Boolean b) {
        return Boolean.TRUE.equals(b);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Stream<Container> stream(List<Container> containers) {
        return containers == null ? Stream.empty() : containers.stream();
    }
}
