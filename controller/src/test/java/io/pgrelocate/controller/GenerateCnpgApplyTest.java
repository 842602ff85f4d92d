package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.testing.KubeNamespace;
import io.pgrelocate.engine.testing.MockKubeconfig;
import io.pgrelocate.engine.testing.RealKubernetes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.pgrelocate.controller.GenerateCnpgTest.SHOP_DB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * `generate cnpg --apply` on a real API server with CloudNativePG's CRDs: a server-side apply as field manager
 * pgrelocate, checked by the server's schema validation; a dry run stores nothing; applying again changes nothing;
 * a GitOps tool's fields stay; a field another manager set otherwise is a conflict that names it.
 */
@ExtendWith(RealKubernetes.class)
class GenerateCnpgApplyTest {
    @Test
    void serverSideApplyIsValidatedIdempotentLeavesOtherManagersFieldsAndReportsTheirConflicts(KubeNamespace ns) {
        ns.crd("crds/cnpg-clusters.crd.yaml");
        ns.crd("crds/cnpg-poolers.crd.yaml");
        Cli cli = Cli.against(ns.kubeconfig());

        assertThat(cli.run(shopDb("--apply", "--dry-run=server"))).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("""
                cluster.postgresql.cnpg.io/shop-db created (server dry run)
                pooler.postgresql.cnpg.io/shop-db-pooler-rw created (server dry run)
                pooler.postgresql.cnpg.io/shop-db-pooler-ro created (server dry run)
                """);
        assertThat(stored(ns, "Cluster")).isEmpty();

        cli.clear();
        assertThat(cli.run(shopDb("--apply"))).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("cluster.postgresql.cnpg.io/shop-db created\n");
        GenericKubernetesResource cluster = cluster(ns);
        assertThat(cluster.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
                .containsExactly(tuple("pgrelocate", "Apply"));
        assertThat(stored(ns, "Pooler")).hasSize(2);

        cli.clear();
        assertThat(cli.run(shopDb("--apply"))).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("cluster.postgresql.cnpg.io/shop-db unchanged\n");
        assertThat(cluster(ns).getMetadata().getResourceVersion()).isEqualTo(cluster.getMetadata().getResourceVersion());

        // a GitOps tool owns a field pgrelocate does not set, and sets one that pgrelocate sets too
        applyAs(ns, "argocd-controller", Map.of("description", "owned by git", "instances", 2));
        cli.clear();
        assertThat(cli.run(shopDb("--apply"))).isEqualTo(13);
        assertThat(cli.err()).contains("cannot apply cluster.postgresql.cnpg.io/shop-db: HTTP 409", "argocd-controller", ".spec.instances",
                "pass --force-conflicts to take them over");
        assertThat(cluster(ns).get("spec", "instances").toString()).isEqualTo("2");

        cli.clear();
        assertThat(cli.run(shopDb("--apply", "--force-conflicts"))).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("cluster.postgresql.cnpg.io/shop-db configured\n");
        assertThat(cluster(ns).get("spec", "instances").toString()).isEqualTo("1");
        assertThat(cluster(ns).get("spec", "description").toString()).isEqualTo("owned by git");
    }

    @Test
    void managedRolesGetAPasswordSecretCopiedFromTheSourceSecretAndNoFileHoldsThePassword(KubeNamespace ns) {
        ns.crd("crds/cnpg-clusters.crd.yaml");
        ns.crd("crds/cnpg-poolers.crd.yaml");
        String zalando = "mastodon.acid-mastodon.credentials.postgresql.acid.zalan.do";
        ns.admin().secrets().inNamespace(ns.name()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName(zalando).endMetadata().addToStringData("username", "mastodon").addToStringData("password", "the-apps-password")
                .build()).create();
        Cli cli = Cli.against(ns.kubeconfig());

        assertThat(cli.run(shopDb("--app-role", "mastodon=" + zalando))).as(cli.err()).isZero();
        assertThat(cli.out()).contains("kind: \"Secret\"", "type: \"kubernetes.io/basic-auth\"",
                "pgrelocate.io/password-from: \"" + zalando + "/password\"", "passwordSecret:", "name: \"shop-db-role-mastodon\"").doesNotContain("the-apps-password", "dGhlLWFwcHMtcGFzc3dvcmQ");
        assertThat(cli.err()).contains("hold no password here: --apply copies it");

        cli.clear();
        assertThat(cli.run(shopDb("--app-role", "mastodon=" + zalando, "--apply"))).as(cli.err()).isZero();
        assertThat(cli.out()).contains("secret/shop-db-role-mastodon created").doesNotContain("the-apps-password");
        io.fabric8.kubernetes.api.model.Secret made = ns.admin().secrets().inNamespace(ns.name()).withName("shop-db-role-mastodon").get();
        assertThat(made.getType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(made.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(made.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "pgrelocate");
        assertThat(new String(java.util.Base64.getDecoder().decode(made.getData().get("password")))).isEqualTo("the-apps-password");
        assertThat(new String(java.util.Base64.getDecoder().decode(made.getData().get("username")))).isEqualTo("mastodon");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> roles = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) cluster(ns)
                .getAdditionalProperties().get("spec")).get("managed")).get("roles");
        assertThat(roles).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("name", "mastodon").containsEntry("login", true).containsEntry("ensure", "present");
            assertThat(r.get("passwordSecret")).isEqualTo(Map.of("name", "shop-db-role-mastodon"));
        });
    }

    @Test
    void applyToAClusterWithoutCnpgSaysSo() {
        // without expectations this mock answers 404 to everything, as an API server without the CRDs does for them
        KubernetesMockServer plain = new KubernetesMockServer(false);
        plain.init();
        try {
            Cli cli = Cli.against(MockKubeconfig.write(plain, "shop"));

            assertThat(cli.run(shopDb("--apply"))).isEqualTo(13);
            assertThat(cli.out()).isEmpty();
            assertThat(cli.err().lines().toList().get(1)).startsWith("error: cannot apply cluster.postgresql.cnpg.io/shop-db: HTTP 404")
                    .endsWith("; is CloudNativePG installed? The API server does not know postgresql.cnpg.io/v1 Cluster");
        } finally {
            plain.destroy();
        }
    }

    /** The shared shop-db flags; the kubeconfig's context names the namespace. */
    private static String[] shopDb(String... more) {
        return Stream.concat(Stream.of(SHOP_DB), Stream.of(more)).toArray(String[]::new);
    }

    private static void applyAs(KubeNamespace ns, String manager, Map<String, Object> spec) {
        GenericKubernetesResource partial = new GenericKubernetesResourceBuilder().withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster")
                .withNewMetadata().withName("shop-db").withNamespace(ns.name()).endMetadata().addToAdditionalProperties("spec", spec).build();
        clusters(ns.admin(), "Cluster").resource(partial).fieldManager(manager).forceConflicts().serverSideApply();
    }

    private static GenericKubernetesResource cluster(KubeNamespace ns) {
        return clusters(ns.admin(), "Cluster").withName("shop-db").get();
    }

    private static List<GenericKubernetesResource> stored(KubeNamespace ns, String kind) {
        return clusters(ns.admin(), kind).list().getItems();
    }

    private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> clusters(KubernetesClient k, String kind) {
        return k.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("postgresql.cnpg.io")
                .withVersion("v1").withKind(kind).withPlural(kind.toLowerCase() + "s").withNamespaced(true).build()).inNamespace(k.getNamespace());
    }
}
