package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.testing.FakeWorkloadController;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argo CD, Flux and Helm marks on what the window changes: a reconciling tool refuses the run unless paused. */
@EnableKubernetesMockClient(crud = true)
class GitOpsMarksTest {
    static final String NS = "apps";
    static final List<WorkloadRef> WEB = WorkloadRef.parseAll(List.of("deployment/web"));

    KubernetesClient client;

    @Test
    void fluxOnTheDeploymentRefusesBeforeAnythingChangesUnlessPaused() {
        web(Map.of("kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", "flux-system"), Map.of());

        assertThatThrownBy(() -> GitOpsMarks.check(client, NS, WEB, List.of(), false)).isInstanceOf(EngineException.class)
                .hasMessageStartingWith("deployment/web is managed by Flux Kustomization flux-system/apps: its next sync re-applies")
                .hasMessageContaining("nothing was changed").hasMessageContaining("PGRELOCATE_GITOPS=paused");
        assertThat(GitOpsMarks.check(client, NS, WEB, List.of(), true)).singleElement().asString()
                .startsWith("gitops: deployment/web is managed by Flux Kustomization flux-system/apps (paused, says PGRELOCATE_GITOPS)");
    }

    @Test
    void argoOnAConfigMapTheCutoverRewritesRefusesToo() {
        web(Map.of(), Map.of());
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("db")
                .addToAnnotations("argocd.argoproj.io/tracking-id", "mastodon:/ConfigMap:apps/db").endMetadata().build()).create();

        assertThatThrownBy(() -> GitOpsMarks.check(client, NS, WEB, List.of("configmap/db"), false))
                .hasMessageStartingWith("configmap/db is managed by Argo CD (tracking-id mastodon:/ConfigMap:apps/db)");
    }

    @Test
    void helmAndAnInstanceLabelAreNamedButDoNotRefuse() {
        web(Map.of("app.kubernetes.io/managed-by", "Helm", "app.kubernetes.io/instance", "mastodon"), Map.of("meta.helm.sh/release-name", "mastodon"));

        assertThat(GitOpsMarks.check(client, NS, WEB, List.of(), false)).singleElement().asString()
                .startsWith("gitops: deployment/web is managed by Helm release mastodon: commit the settings");
        assertThat(GitOpsMarks.of("deployment/x", FakeWorkloadController.deployment("x", 1))).isEmpty();
    }

    private void web(Map<String, String> labels, Map<String, String> annotations) {
        Deployment d = FakeWorkloadController.deployment("web", 1);
        d.getMetadata().setLabels(labels);
        d.getMetadata().setAnnotations(annotations);
        client.apps().deployments().inNamespace(NS).resource(d).create();
    }
}
