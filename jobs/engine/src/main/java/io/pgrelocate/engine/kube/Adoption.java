package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The Secrets and ConfigMaps the applications read that belong to the old database — owned by the
 * Zalando {@code postgresql}, named as its operator names credentials, or a Bitnami chart's
 * ({@code app.kubernetes.io/name=postgresql}) — go with it at cleanup. The cutover gives the applications
 * a copy instead: {@code pgrelocate-<name>}, labelled as pgrelocate's, owned by nothing, its values with
 * the hosts rewritten, and points their pod templates at the copy (a setting of the ledger like any
 * other, so rollback points them back).
 */
public final class Adoption {
    public static final String PREFIX = "pgrelocate-";
    public static final String ADOPTED_FROM = "pgrelocate.io/adopted-from";

    private Adoption() {
    }

    /** Whether cleanup would take this object with the old database. */
    public static boolean sourceOwned(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        boolean zalandoOwned = m.getOwnerReferences() != null && m.getOwnerReferences().stream()
                .anyMatch(r -> "postgresql".equals(r.getKind()) && r.getApiVersion() != null && r.getApiVersion().startsWith("acid.zalan.do/"));
        boolean bitnami = m.getLabels() != null && "postgresql".equals(m.getLabels().get("app.kubernetes.io/name"));
        return zalandoOwned || bitnami || m.getName().endsWith(".credentials.postgresql.acid.zalan.do");
    }

    /** The copy's name (names are at most 253 characters). */
    public static String copyName(String name) {
        String copy = PREFIX + name;
        return copy.length() <= 253 ? copy : copy.substring(0, 253).replaceAll("[.-]+$", "");
    }

    /** Creates or replaces the copy of {@code original}, its values passed through {@code rewrite}. */
    static void copy(KubernetesClient client, String namespace, String migration, boolean secret, String original, HostRewrite rewrite) {
        String copy = copyName(original);
        ObjectMeta meta = new ObjectMetaBuilder().withName(copy).withNamespace(namespace).withLabels(Labels.of(Labels.component(), migration))
                .addToAnnotations(ADOPTED_FROM, (secret ? "secret/" : "configmap/") + original).build();
        if (secret) {
            Secret from = KubeCalls.run("read secret/" + original, () -> client.secrets().inNamespace(namespace).withName(original).get());
            Map<String, String> values = new LinkedHashMap<>();
            ContainerEnv.decoded(exists(from, "secret/" + original)).forEach((k, v) -> values.put(k, rewrite.apply(v)));
            KubeCalls.write(client, "copy secret/" + original + " to " + copy, client.secrets().inNamespace(namespace).withName(copy),
                    current -> new SecretBuilder().withMetadata(merged(meta, current)).withType(from.getType()).withStringData(values).build());
        } else {
            ConfigMap from = KubeCalls.run("read configmap/" + original, () -> client.configMaps().inNamespace(namespace).withName(original).get());
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> data = exists(from, "configmap/" + original).getData();
            (data == null ? Map.<String, String>of() : data).forEach((k, v) -> values.put(k, rewrite.apply(v)));
            KubeCalls.write(client, "copy configmap/" + original + " to " + copy, client.configMaps().inNamespace(namespace).withName(copy),
                    current -> new ConfigMapBuilder().withMetadata(merged(meta, current)).withData(values).build());
        }
    }

    /** Points every reference of {@code pod} to Secret (or ConfigMap) {@code from} at {@code to}: env, envFrom, volumes. */
    static void rename(PodSpec pod, boolean secret, String from, String to) {
        Stream.concat(stream(pod.getInitContainers()), stream(pod.getContainers())).forEach(c -> {
            stream(c.getEnv()).map(v -> v.getValueFrom()).filter(Objects::nonNull).forEach(v -> {
                if (secret && v.getSecretKeyRef() != null && from.equals(v.getSecretKeyRef().getName())) {
                    v.getSecretKeyRef().setName(to);
                }
                if (!secret && v.getConfigMapKeyRef() != null && from.equals(v.getConfigMapKeyRef().getName())) {
                    v.getConfigMapKeyRef().setName(to);
                }
            });
            stream(c.getEnvFrom()).forEach(f -> {
                if (secret && f.getSecretRef() != null && from.equals(f.getSecretRef().getName())) {
                    f.getSecretRef().setName(to);
                }
                if (!secret && f.getConfigMapRef() != null && from.equals(f.getConfigMapRef().getName())) {
                    f.getConfigMapRef().setName(to);
                }
            });
        });
        stream(pod.getVolumes()).forEach(v -> {
            if (secret && v.getSecret() != null && from.equals(v.getSecret().getSecretName())) {
                v.getSecret().setSecretName(to);
            }
            if (!secret && v.getConfigMap() != null && from.equals(v.getConfigMap().getName())) {
                v.getConfigMap().setName(to);
            }
            List<VolumeProjection> sources = v.getProjected() == null ? null : v.getProjected().getSources();
            stream(sources).forEach(p -> {
                if (secret && p.getSecret() != null && from.equals(p.getSecret().getName())) {
                    p.getSecret().setName(to);
                }
                if (!secret && p.getConfigMap() != null && from.equals(p.getConfigMap().getName())) {
                    p.getConfigMap().setName(to);
                }
            });
        });
    }

    /** The copy's metadata, keeping the resourceVersion of the copy there is (a rerun replaces it). */
    private static ObjectMeta merged(ObjectMeta meta, HasMetadata current) {
        return current == null ? meta : new ObjectMetaBuilder(meta).withResourceVersion(current.getMetadata().getResourceVersion()).build();
    }

    private static <T> T exists(T object, String what) {
        if (object == null) {
            throw new io.pgrelocate.engine.EngineException(io.pgrelocate.engine.ExitCode.FAILED, what + " no longer exists in the namespace");
        }
        return object;
    }

    private static <T> Stream<T> stream(List<T> list) {
        return list == null ? Stream.empty() : list.stream();
    }
}
