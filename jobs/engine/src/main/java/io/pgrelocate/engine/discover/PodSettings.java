package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The plain-text settings a pod sees, as (name, value): env values, and the ConfigMap entries it
 * takes through configMapKeyRef, envFrom or a volume. Secret values are not read: the Secret
 * reference alone tells which database an application uses.
 */
final class PodSettings {
    record Setting(String name, String value) {
    }

    private PodSettings() {
    }

    static List<Setting> of(PodSpec pod, Map<String, ConfigMap> configMaps) {
        List<Setting> settings = new ArrayList<>();
        Stream.concat(orEmpty(pod.getInitContainers()).stream(), orEmpty(pod.getContainers()).stream()).forEach(c -> {
            for (EnvVar v : orEmpty(c.getEnv())) {
                if (v.getValue() != null) {
                    settings.add(new Setting(v.getName(), v.getValue()));
                } else if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = v.getValueFrom().getConfigMapKeyRef();
                    data(configMaps, ref.getName()).map(d -> d.get(ref.getKey())).ifPresent(value -> settings.add(new Setting(v.getName(), value)));
                }
            }
            for (EnvFromSource from : orEmpty(c.getEnvFrom())) {
                if (from.getConfigMapRef() != null) {
                    String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
                    data(configMaps, from.getConfigMapRef().getName()).ifPresent(d -> d.forEach((k, value) -> settings.add(new Setting(prefix + k, value))));
                }
            }
        });
        for (Volume v : orEmpty(pod.getVolumes())) {
            Stream<String> names = Stream.concat(Stream.ofNullable(v.getConfigMap()).map(m -> m.getName()),
                    Stream.ofNullable(v.getProjected()).flatMap(p -> orEmpty(p.getSources()).stream())
                            .map(VolumeProjection::getConfigMap).filter(Objects::nonNull).map(m -> m.getName()));
            names.forEach(name -> data(configMaps, name).ifPresent(d -> d.forEach((file, text) -> settings.add(new Setting(file, text)))));
        }
        return settings;
    }

    private static Optional<Map<String, String>> data(Map<String, ConfigMap> configMaps, String name) {
        return Optional.ofNullable(configMaps.get(name)).map(ConfigMap::getData);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
