package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet makes it when the container starts
 * ({@code kubelet_pods.go makeEnvironmentVariables}): first every {@code envFrom} source in order (keys
 * with their prefix; keys that are not valid variable names are skipped), then every {@code env} entry
 * in order, later entries replacing earlier ones. A {@code value} has its {@code $(VAR)} references
 * expanded from what is defined so far ({@code $$} escapes, an unknown name stays as written); a missing
 * non-optional ConfigMap, Secret or key is the error that keeps the container from starting
 * ({@code CreateContainerConfigError}); an optional one leaves the variable out. Service links
 * ({@code <SVC>_SERVICE_HOST}) and resource fields are not made.
 */
public final class ContainerEnv {
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final Pattern FIELD_LABEL = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    /** Where the kubelet reads the objects from: a value map, or empty when the object does not exist. */
    public interface Objects {
        Optional<Map<String, String>> configMap(String name);

        Optional<Map<String, String>> secret(String name);

        /** Read from the API server now, as the kubelet does when a container starts. */
        static Objects of(KubernetesClient client, String namespace) {
            return new Objects() {
                @Override
                public Optional<Map<String, String>> configMap(String name) {
                    ConfigMap cm = KubeCalls.run("read configmap/" + name, () -> client.configMaps().inNamespace(namespace).withName(name).get());
                    return Optional.ofNullable(cm).map(c -> c.getData() == null ? Map.of() : c.getData());
                }

                @Override
                public Optional<Map<String, String>> secret(String name) {
                    Secret s = KubeCalls.run("read secret/" + name, () -> client.secrets().inNamespace(namespace).withName(name).get());
                    return Optional.ofNullable(s).map(ContainerEnv::decoded);
                }
            };
        }
    }

    /** The container cannot start: what the kubelet reports as {@code CreateContainerConfigError}. */
    public static final class ConfigError extends RuntimeException {
        public ConfigError(String message) {
            super(message);
        }
    }

    private ContainerEnv() {
    }

    /** The variables of {@code container} of a pod with {@code pod} metadata, in the order the kubelet sets them. */
    public static Map<String, String> resolve(Container container, ObjectMeta pod, Objects objects) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom() == null ? java.util.List.<EnvFromSource>of() : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Optional<Map<String, String>> values;
            if (from.getConfigMapRef() != null) {
                values = required(objects.configMap(from.getConfigMapRef().getName()), from.getConfigMapRef().getOptional(),
                        "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
            } else if (from.getSecretRef() != null) {
                values = required(objects.secret(from.getSecretRef().getName()), from.getSecretRef().getOptional(),
                        "secret \"" + from.getSecretRef().getName() + "\" not found");
            } else {
                continue;
            }
            values.ifPresent(v -> v.forEach((k, value) -> {
                if (ENV_NAME.matcher(prefix + k).matches()) {
                    env.put(prefix + k, value);
                }
            }));
        }
        for (EnvVar v : container.getEnv() == null ? java.util.List.<EnvVar>of() : container.getEnv()) {
            if (v.getValue() != null && !v.getValue().isEmpty()) {
                env.put(v.getName(), expand(v.getValue(), env));
            } else if (v.getValueFrom() != null) {
                valueFrom(v.getValueFrom(), pod, objects).ifPresent(value -> env.put(v.getName(), value));
            } else {
                env.put(v.getName(), "");
            }
        }
        return env;
    }

    /** {@code $(NAME)} replaced from {@code defined}, {@code $$} → {@code $}; anything else stays as written (expansion.Expand). */
    public static String expand(String input, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 == input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$(");
                    i += 2;
                } else {
                    String name = input.substring(i + 2, close);
                    out.append(defined.containsKey(name) ? defined.get(name) : "$(" + name + ")");
                    i = close + 1;
                }
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }

    private static Optional<String> valueFrom(EnvVarSource from, ObjectMeta pod, Objects objects) {
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            return key(required(objects.configMap(ref.getName()), ref.getOptional(), "configmap \"" + ref.getName() + "\" not found"),
                    ref.getKey(), ref.getOptional(), "couldn't find key " + ref.getKey() + " in ConfigMap " + ref.getName());
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            return key(required(objects.secret(ref.getName()), ref.getOptional(), "secret \"" + ref.getName() + "\" not found"),
                    ref.getKey(), ref.getOptional(), "couldn't find key " + ref.getKey() + " in Secret " + ref.getName());
        }
        if (from.getFieldRef() != null) {
            return Optional.of(field(from.getFieldRef().getFieldPath(), pod));
        }
        throw new ConfigError("resourceFieldRef is not resolved by this reader");
    }

    private static String field(String path, ObjectMeta pod) {
        Matcher m = FIELD_LABEL.matcher(path);
        if (m.matches()) {
            Map<String, String> map = m.group(1).equals("labels") ? pod.getLabels() : pod.getAnnotations();
            return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.getName();
            case "metadata.namespace" -> pod.getNamespace();
            case "metadata.uid" -> pod.getUid();
            default -> throw new ConfigError("field " + path + " is not resolved by this reader");
        };
    }

    private static Optional<Map<String, String>> required(Optional<Map<String, String>> object, Boolean optional, String missing) {
        if (object.isEmpty() && !Boolean.TRUE.equals(optional)) {
            throw new ConfigError(missing);
        }
        return object;
    }

    private static Optional<String> key(Optional<Map<String, String>> object, String key, Boolean optional, String missing) {
        if (object.isEmpty()) {
            return Optional.empty();
        }
        String value = object.get().get(key);
        if (value == null && !Boolean.TRUE.equals(optional)) {
            throw new ConfigError(missing);
        }
        return Optional.ofNullable(value);
    }

    /** A Secret's values as text ({@code stringData} is merged into {@code data} by the API server; a client-side object may still hold it). */
    static Map<String, String> decoded(Secret s) {
        Map<String, String> values = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            values.putAll(s.getStringData());
        }
        return values;
    }
}
