package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every generated object is one the API server would admit under CNPG 1.30's CRDs. */
class CrdValidationTest {
    private static final CrdSchema CLUSTER = CrdSchema.load("/crds/cnpg-clusters.crd.yaml");
    private static final CrdSchema POOLER = CrdSchema.load("/crds/cnpg-poolers.crd.yaml");
    private static final CrdSchema SUBSCRIPTION = CrdSchema.load("/crds/cnpg-subscriptions.crd.yaml");

    @ParameterizedTest
    @EnumSource(Variants.class)
    void everyObjectOfEveryVariantMatchesItsCrd(Variants variant) {
        for (GenericKubernetesResource object : variant.manifests().objects()) {
            CrdSchema schema = switch (object.getKind()) {
                case CnpgCluster.KIND -> CLUSTER;
                case CnpgSubscription.KIND -> SUBSCRIPTION;
                default -> POOLER;
            };
            assertThat(schema.problems(object)).as(object.getKind() + " " + object.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void managedRolesMatchTheCrdAndTheirSecretsHoldNoPassword() {
        CnpgManifests manifests = CnpgManifests.initdb(Shapes.shop(16)).withManagedRoles(java.util.List.of(
                ManagedRole.parse("mastodon=mastodon.acid-mastodon.credentials.postgresql.acid.zalan.do"),
                ManagedRole.parse("sidekiq_worker=bitnami-postgresql/password")));
        GenericKubernetesResource cluster = manifests.objects().get(0);
        assertThat(CLUSTER.problems(cluster)).isEmpty();
        assertThat(ManifestYaml.documents(java.util.List.of(cluster))).contains("managed:", "passwordSecret:", "name: \"shop-db-role-sidekiq-worker\"");
        assertThat(manifests.objects()).filteredOn(o -> o.getKind().equals("Secret")).hasSize(2).allSatisfy(secret -> {
            assertThat(secret.getAdditionalProperties()).containsEntry("type", "kubernetes.io/basic-auth").doesNotContainKey("data");
            assertThat(secret.getAdditionalProperties().get("stringData").toString()).startsWith("{username=").doesNotContain("password");
            assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
        });
    }

    @Test
    void aWrongTypeAndAMissingRequiredFieldAreCaught() {
        GenericKubernetesResource cluster = CnpgManifests.initdb(Shapes.shop(16)).objects().get(0);
        spec(cluster).put("instances", "two");
        assertThat(CLUSTER.problems(cluster)).anySatisfy(p -> assertThat(p).contains("instances").contains("integer"));

        GenericKubernetesResource pooler = CnpgManifests.initdb(Shapes.shop(16)).objects().get(1);
        spec(pooler).remove("pgbouncer");
        assertThat(POOLER.problems(pooler)).anySatisfy(p -> assertThat(p).contains("pgbouncer"));

        GenericKubernetesResource imported = CnpgManifests.importing(Shapes.shop(16), Shapes.microservice()).objects().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> importSection = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                spec(imported).get("bootstrap")).get("initdb")).get("import");
        importSection.put("type", "everything");
        assertThat(CLUSTER.problems(imported)).anySatisfy(p -> assertThat(p).contains("type").contains("enum"));
    }

    /** A mutable copy of the spec, put back into the object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        Map<String, Object> spec = deepCopy((Map<String, Object>) object.getAdditionalProperties().get("spec"));
        object.setAdditionalProperty("spec", spec);
        return spec;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return copy;
    }
}
