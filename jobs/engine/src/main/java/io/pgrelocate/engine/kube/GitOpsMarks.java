package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who else writes an object the switchover window changes: Argo CD (tracking annotation or instance
 * label), Flux (Kustomization or HelmRelease labels) or Helm (managed-by label, release annotations).
 * Argo CD and Flux reconcile on their own: a sync re-applies Git's manifests and undoes the freeze
 * (replicas) and the cutover (settings), putting the applications back on the fenced source. Helm
 * only does so at the next {@code helm upgrade}.
 */
public final class GitOpsMarks {
    /** One manager of one object; {@code reconciles}: it reverts changes by itself. */
    public record Mark(String object, String manager, boolean reconciles) {
        @Override
        public String toString() {
            return object + " is managed by " + manager;
        }
    }

    private GitOpsMarks() {
    }

    /**
     * Refuses before anything changed when an object the window changes is managed by a tool that reconciles, unless
     * {@code paused} (the user paused it for the window); returns one warning line per other mark.
     */
    public static List<String> check(KubernetesClient client, String namespace, List<WorkloadRef> apps, List<String> objects, boolean paused) {
        Workloads workloads = new Workloads(client, namespace);
        List<Mark> marks = new ArrayList<>();
        apps.forEach(app -> {
            HasMetadata w = workloads.get(app);
            if (w != null) {
                marks.addAll(of(app.toString(), w));
            }
        });
        objects.stream().distinct().forEach(object -> {
            String name = object.substring(object.indexOf('/') + 1);
            HasMetadata o = KubeCalls.run("read " + object, () -> object.startsWith("secret/")
                    ? client.secrets().inNamespace(namespace).withName(name).get() : client.configMaps().inNamespace(namespace).withName(name).get());
            if (o != null) {
                marks.addAll(of(object, o));
            }
        });
        List<String> reconciling = marks.stream().filter(Mark::reconciles).map(Mark::toString).toList();
        if (!reconciling.isEmpty() && !paused) {
            throw new EngineException(ExitCode.BAD_SETTINGS, String.join("; ", reconciling) + ": its next sync re-applies Git's manifests, "
                    + "which undoes the freeze (replicas) and the cutover (settings) and puts the applications back on the fenced source; "
                    + "nothing was changed: pause it for the window (flux suspend kustomization/helmrelease NAME; Argo CD: turn off the "
                    + "Application's automated sync) and set PGRELOCATE_GITOPS=paused, then commit the settings this run prints "
                    + "(cutover: …) to Git before resuming it");
        }
        List<String> lines = new ArrayList<>();
        marks.forEach(m -> lines.add("gitops: " + m + (m.reconciles() ? " (paused, says PGRELOCATE_GITOPS)" : "")
                + ": commit the settings the cutover changes to Git, or its next sync or upgrade undoes them"));
        return lines;
    }

    public static List<Mark> of(String object, HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
        Map<String, String> annotations = o.getMetadata().getAnnotations() == null ? Map.of() : o.getMetadata().getAnnotations();
        List<Mark> marks = new ArrayList<>();
        if (annotations.containsKey("argocd.argoproj.io/tracking-id")) {
            marks.add(new Mark(object, "Argo CD (tracking-id " + annotations.get("argocd.argoproj.io/tracking-id") + ")", true));
        } else if (annotations.containsKey("argocd.argoproj.io/instance") || labels.containsKey("argocd.argoproj.io/instance")) {
            marks.add(new Mark(object, "Argo CD Application " + labels.getOrDefault("argocd.argoproj.io/instance",
                    annotations.get("argocd.argoproj.io/instance")), true));
        } else if (labels.containsKey("app.kubernetes.io/instance") && !"Helm".equals(labels.get("app.kubernetes.io/managed-by"))
                && !labels.containsKey("helm.toolkit.fluxcd.io/name") && !labels.containsKey("kustomize.toolkit.fluxcd.io/name")) {
            // Argo CD's default tracking label; plain kustomize and other tools set it too, so it is named as a possibility
            marks.add(new Mark(object, "possibly Argo CD Application " + labels.get("app.kubernetes.io/instance")
                    + " (label app.kubernetes.io/instance, Argo CD's default tracking; other tools set it too)", false));
        }
        if (labels.containsKey("kustomize.toolkit.fluxcd.io/name")) {
            marks.add(new Mark(object, "Flux Kustomization " + labels.getOrDefault("kustomize.toolkit.fluxcd.io/namespace", "?")
                    + "/" + labels.get("kustomize.toolkit.fluxcd.io/name"), true));
        }
        if (labels.containsKey("helm.toolkit.fluxcd.io/name")) {
            marks.add(new Mark(object, "Flux HelmRelease " + labels.getOrDefault("helm.toolkit.fluxcd.io/namespace", "?")
                    + "/" + labels.get("helm.toolkit.fluxcd.io/name"), true));
        } else if ("Helm".equals(labels.get("app.kubernetes.io/managed-by")) || annotations.containsKey("meta.helm.sh/release-name")) {
            marks.add(new Mark(object, "Helm release " + annotations.getOrDefault("meta.helm.sh/release-name",
                    labels.getOrDefault("app.kubernetes.io/instance", "?")), false));
        }
        return marks;
    }
}
