package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.kube.KubeCalls;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Sends the manifests to the API server: created, or updated if they exist. With dry run the server
 * validates and admits them (CNPG's webhook included) but stores nothing, as {@code kubectl apply --dry-run=server}.
 */
public final class ManifestApplier {
    private final KubernetesClient client;

    public ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Reports one line per object as soon as it is applied, {@code cluster.postgresql.cnpg.io/db created (server dry run)}
     * as kubectl prints it, so that after a failure the user sees what was already applied.
     */
    public void apply(List<GenericKubernetesResource> objects, boolean dryRun, Consumer<String> report) {
        for (GenericKubernetesResource object : objects) {
            String ref = object.getKind().toLowerCase(Locale.ROOT) + ".postgresql.cnpg.io/" + object.getMetadata().getName();
            var resources = client.genericKubernetesResources(context(object)).inNamespace(object.getMetadata().getNamespace());
            boolean existed = KubeCalls.run("read " + ref, () -> resources.withName(object.getMetadata().getName()).get()) != null;
            try {
                KubeCalls.run("apply " + ref, () -> resources.resource(object).dryRun(dryRun).createOr(NonDeletingOperation::update));
            } catch (EngineException e) {
                throw e.getCause() instanceof KubernetesClientException k && k.getCode() == 404
                        ? new EngineException(e.exitCode(), e.getMessage() + "; is CloudNativePG installed? "
                        + "The API server does not know postgresql.cnpg.io/v1 " + object.getKind(), e) : e;
            }
            report.accept(ref + (existed ? " configured" : " created") + (dryRun ? " (server dry run)" : ""));
        }
    }

    /** Explicit, so no API discovery is needed and a cluster without the CRDs fails with a clear 404. */
    private static ResourceDefinitionContext context(GenericKubernetesResource object) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("postgresql.cnpg.io").withVersion("v1").withKind(object.getKind())
                .withPlural(object.getKind().toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build();
    }
}
