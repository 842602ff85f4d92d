package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.kube.KubeCalls;

import java.net.HttpURLConnection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends the manifests to the API server with server-side apply, field manager {@value #FIELD_MANAGER}:
 * pgrelocate owns the fields it sets and no others, so fields a GitOps tool or a person set stay theirs,
 * and applying the same manifests again changes nothing. A field another manager owns with another value
 * is a conflict, reported with the fields, unless {@code force} takes them over. With dry run the server
 * validates and admits them (CNPG's webhook included) but stores nothing, as {@code kubectl apply --server-side --dry-run=server}.
 */
public final class ManifestApplier {
    public static final String FIELD_MANAGER = "pgrelocate";

    private final KubernetesClient client;

    public ManifestApplier(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Reports one line per object as soon as it is applied, {@code cluster.postgresql.cnpg.io/db created (server dry run)}
     * (or {@code configured}, {@code unchanged}), so that after a failure the user sees what was already applied.
     */
    public void apply(List<GenericKubernetesResource> objects, boolean dryRun, boolean force, Consumer<String> report) {
        for (GenericKubernetesResource object : objects) {
            String ref = object.getKind().toLowerCase(Locale.ROOT) + (core(object) ? "" : ".postgresql.cnpg.io") + "/" + object.getMetadata().getName();
            var resources = client.genericKubernetesResources(context(object)).inNamespace(object.getMetadata().getNamespace());
            GenericKubernetesResource before = KubeCalls.run("read " + ref, () -> resources.withName(object.getMetadata().getName()).get());
            GenericKubernetesResource after;
            try {
                after = KubeCalls.run("apply " + ref, () -> {
                    ServerSideApplicable<GenericKubernetesResource> apply = resources.resource(object).dryRun(dryRun).fieldManager(FIELD_MANAGER);
                    return (force ? apply.forceConflicts() : apply).serverSideApply();
                });
            } catch (EngineException e) {
                throw explained(e, object);
            }
            report.accept(ref + " " + (before == null ? "created" : same(before, after) ? "unchanged" : "configured")
                    + (dryRun ? " (server dry run)" : ""));
        }
    }

    private static EngineException explained(EngineException e, GenericKubernetesResource object) {
        if (!(e.getCause() instanceof KubernetesClientException k)) {
            return e;
        }
        if (k.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
            return new EngineException(e.exitCode(), e.getMessage() + "; is CloudNativePG installed? "
                    + "The API server does not know postgresql.cnpg.io/v1 " + object.getKind(), e);
        }
        if (k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
            return new EngineException(e.exitCode(), e.getMessage() + "; another field manager (a GitOps tool, kubectl) set these "
                    + "fields to other values: change them there, or pass --force-conflicts to take them over", e);
        }
        return e;
    }

    /** A core object (the managed roles' Secrets), not a CNPG one. */
    private static boolean core(GenericKubernetesResource object) {
        return "v1".equals(object.getApiVersion());
    }

    /** What a user would call a change: the spec, labels or annotations differ (a dry run keeps the resourceVersion). */
    private static boolean same(GenericKubernetesResource b, GenericKubernetesResource after) {
        return Objects.equals(b.getAdditionalProperties().get("spec"), after.getAdditionalProperties().get("spec"))
                && Objects.equals(b.getMetadata().getLabels(), after.getMetadata().getLabels())
                && Objects.equals(b.getMetadata().getAnnotations(), after.getMetadata().getAnnotations());
    }

    /** Explicit, so no API discovery is needed and a cluster without the CRDs fails with a clear 404. */
    private static ResourceDefinitionContext context(GenericKubernetesResource object) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(core(object) ? "" : "postgresql.cnpg.io").withVersion("v1").withKind(object.getKind())
                .withPlural(object.getKind().toLowerCase(Locale.ROOT) + "s").withNamespaced(true).build();
    }
}
