package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Manifests as YAML: one multi-document stream for stdout, or one file per object for a GitOps repository. */
public final class ManifestYaml {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ManifestYaml() {
    }

    /** Each object as its own document, each starting with {@code ---}, as kubectl apply -f reads them. */
    public static String documents(List<GenericKubernetesResource> objects) {
        StringBuilder yaml = new StringBuilder();
        for (GenericKubernetesResource object : objects) {
            yaml.append(SERIALIZATION.asYaml(object));
        }
        return yaml.toString();
    }

    /** Writes {@code <kind>-<name>.yaml} per object into {@code dir} (created if missing); returns the files. */
    public static List<Path> write(List<GenericKubernetesResource> objects, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            Path file = dir.resolve(object.getKind().toLowerCase(Locale.ROOT) + "-" + object.getMetadata().getName() + ".yaml");
            Files.writeString(file, SERIALIZATION.asYaml(object));
            files.add(file);
        }
        return files;
    }
}
