package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pgrelocate.engine.testing.KubeNamespace;

/**
 * The rendered dev overlay (kustomize/overlays/dev), applied into a test's namespace: the overlay names
 * its own namespace, so every object, and every RoleBinding subject, is moved into the test's first.
 */
final class DevOverlayOnServer {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private DevOverlayOnServer() {
    }

    /** Applies it and returns the render, e.g. for the migration name in its settings. */
    static Render applyTo(KubeNamespace ns) {
        Render dev = Render.of(ProjectLayout.OVERLAYS.resolve("dev"));
        for (HasMetadata original : dev.objects()) {
            HasMetadata o = SERIALIZATION.clone(original); // the render is cached and shared by other tests
            o.getMetadata().setNamespace(ns.name());
            if (o instanceof RoleBinding binding) {
                binding.getSubjects().forEach(s -> s.setNamespace(ns.name()));
            }
            ns.admin().resource(o).create();
        }
        return dev;
    }

    static String migration(Render dev) {
        return dev.settings().get("PGRELOCATE_MIGRATION");
    }
}
