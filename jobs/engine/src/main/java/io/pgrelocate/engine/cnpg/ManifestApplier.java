package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pgrelocate.engine.kube.KubeCalls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends the manifests to the API server: created, or updated if they exist. With dry run the server
 * validates and admits them (CNPG's webhook included) but stores nothing, as {@code kubectl apply --dry-run=server}.
 */
public final class ManifestApplier {
    private final KubernetesClient client;

    public ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /** One line per object, {@code cluster.postgresql.cnpg.io/db created (server dry run)}, as kubectl prints. */
    public List<String> apply(List<GenericKubernetesResource> objects, boolean dryRun) {
        List<String> lines = new ArrayList<>();
        for (GenericKubernetesResource object : objects) {
            String ref = object.getKind().toLowerCase(Locale.ROOT) + ".postgresql.cnpg.io/" + object.getMetadata().getName();
            var resources = client.genericKubernetesResources(context(object)).inNamespace(object.getMetadata().getNamespace());
            boolean existed = KubeCalls.run("read " + ref, () -> resources.withName(object.getMetadata().getName()).get()) != null;
            KubeCalls.run("apply " + ref, () -> resources.resource(object).dryRun(dryRun).createOr(NonDeletingOperation::update));
            lines.add(ref + (existed ? " configured" : " created") + (dryRun ? " (server dry run)" : ""));
        }
        return lines;
    }

    /** Explicit, so no API discovery is needed and a cluster without the CRDs fails with a clear 404. */
    private static ResourceDefinitionContext context(GenericKubernetesResource object) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("postgresql.cnpg.io").withVersion("v1").withKind(object.getKind())
                .withPlural(object.getKind().toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build();
    }
}
