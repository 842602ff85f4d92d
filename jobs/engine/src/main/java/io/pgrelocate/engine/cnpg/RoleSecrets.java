package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.kube.KubeCalls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills the passwords of the managed roles' Secrets from the Secrets their annotation names, just
 * before {@code --apply} sends them: the value is copied still base64-encoded, from the API server
 * to the API server, never decoded, printed or written to a file.
 */
public final class RoleSecrets {
    private RoleSecrets() {
    }

    public static List<GenericKubernetesResource> withPasswords(KubernetesClient client, List<GenericKubernetesResource> objects) {
        List<GenericKubernetesResource> filled = new ArrayList<>();
        for (GenericKubernetesResource o : objects) {
            String from = o.getMetadata().getAnnotations() == null ? null : o.getMetadata().getAnnotations().get(ManagedRole.PASSWORD_FROM);
            if (!"Secret".equals(o.getKind()) || from == null) {
                filled.add(o);
                continue;
            }
            String namespace = o.getMetadata().getNamespace();
            String name = from.substring(0, from.lastIndexOf('/'));
            String key = from.substring(from.lastIndexOf('/') + 1);
            Secret source = KubeCalls.run("read Secret " + namespace + "/" + name,
                    () -> client.secrets().inNamespace(namespace).withName(name).get());
            String value = source == null || source.getData() == null ? null : source.getData().get(key);
            if (value == null) {
                throw new EngineException(ExitCode.BAD_SETTINGS, "Secret " + namespace + "/" + name + " has no key " + key
                        + ": name the Secret and key the application reads its password from (--app-role ROLE=SECRET/KEY)");
            }
            GenericKubernetesResource copy = new GenericKubernetesResource();
            copy.setApiVersion(o.getApiVersion());
            copy.setKind(o.getKind());
            copy.setMetadata(o.getMetadata());
            o.getAdditionalProperties().forEach(copy::setAdditionalProperty);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("password", value);
            copy.setAdditionalProperty("data", data);
            filled.add(copy);
        }
        return filled;
    }
}
