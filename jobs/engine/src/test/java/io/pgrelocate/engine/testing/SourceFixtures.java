package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pgrelocate.engine.discover.Discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Source databases as their operator or chart leaves them in a namespace, and applications that use
 * them, written into a mock API server. Every credentials Secret holds {@link #PASSWORD}, which no
 * output may show.
 */
public final class SourceFixtures {
    public static final String PASSWORD = "Tr0ub4dor-never-print-me";

    private final KubernetesClient client;
    private final String namespace;

    public SourceFixtures(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * The Zalando cluster {@code acid-shop} of {@code discover/zalando-acid-shop.yaml} with what the
     * operator makes of it: StatefulSet, Services {@code acid-shop}, {@code -repl}, {@code -pooler} and a
     * credentials Secret for each user and for postgres.
     */
    public void zalandoCluster() {
        try (var yaml = SourceFixtures.class.getResourceAsStream("/discover/zalando-acid-shop.yaml")) {
            client.genericKubernetesResources(Discovery.ZALANDO_POSTGRESQL).inNamespace(namespace)
                    .resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> labels = Map.of("application", "spilo", "cluster-name", "acid-shop", "team", "acid");
        create(new StatefulSetBuilder(FakeWorkloadController.statefulSet("acid-shop", 2)).editMetadata().withLabels(labels).endMetadata()
                .editSpec().editTemplate().editSpec().editFirstContainer().withName("postgres")
                .withImage("registry.corp.example:5000/zalando/spilo-16:3.2-p2").endContainer()
                .addNewImagePullSecret("corp-registry").endSpec().endTemplate().endSpec().build());
        List.of("acid-shop", "acid-shop-repl", "acid-shop-pooler").forEach(s -> service(s, labels));
        List.of("shop-owner", "foo-user", "postgres").forEach(u -> secret(u + ".acid-shop.credentials.postgresql.acid.zalan.do",
                labels, "username", u.replace('-', '_'), "password", PASSWORD));
    }

    /**
     * A Bitnami release's StatefulSet {@code <fullname>} (replication: {@code -primary} and {@code -read}),
     * Services with the headless {@code -hl}, and its password Secret, named {@code <fullname>} unless
     * {@code existingSecret} (the chart's auth.existingSecret) names another.
     */
    public void bitnamiRelease(String fullname, String existingSecret, boolean replication) {
        String secret = existingSecret == null ? fullname : existingSecret;
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "postgresql", "app.kubernetes.io/instance", fullname.replaceFirst("-postgresql$", ""));
        for (String sts : replication ? List.of(fullname + "-primary", fullname + "-read") : List.of(fullname)) {
            create(new StatefulSetBuilder(FakeWorkloadController.statefulSet(sts, sts.endsWith("-read") ? 2 : 1))
                    .editMetadata().withLabels(labels).endMetadata()
                    .editSpec().editTemplate().editSpec().editFirstContainer().withName("postgresql")
                    .withImage("docker.io/bitnami/postgresql:15.4.0-debian-12-r2")
                    .withEnv(env("POSTGRES_USER", "app"), env("POSTGRES_DATABASE", "appdb"),
                            secretEnv("POSTGRES_PASSWORD", secret, existingSecret == null ? "password" : "user-password"),
                            secretEnv("POSTGRES_POSTGRES_PASSWORD", secret, existingSecret == null ? "postgres-password" : "admin-password"))
                    .endContainer().endSpec().endTemplate()
                    .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
                            .withNewSpec().withStorageClassName("standard").withNewResources()
                            .addToRequests("storage", new Quantity("8Gi")).endResources().endSpec().build())
                    .endSpec().build());
            service(sts, labels);
            service(sts + "-hl", labels);
        }
        if (existingSecret == null) {
            secret(secret, labels, "postgres-password", PASSWORD, "password", PASSWORD);
        } else {
            secret(secret, Map.of(), "admin-password", PASSWORD, "user-password", PASSWORD);
        }
    }

    /** The chart's {@code primary.configuration}: a ConfigMap {@code <sts>-configuration} mounted into the StatefulSet. */
    public void bitnamiConfiguration(String sts, String postgresqlConf) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(sts + "-configuration")
                .endMetadata().addToData("postgresql.conf", postgresqlConf).addToData("pg_hba.conf", "host all all 0.0.0.0/0 md5").build()).create();
        client.apps().statefulSets().inNamespace(namespace).withName(sts).edit(s -> new StatefulSetBuilder(s).editSpec().editTemplate()
                .editSpec().addNewVolume().withName("postgresql-config").withNewConfigMap().withName(sts + "-configuration").endConfigMap()
                .endVolume().endSpec().endTemplate().endSpec().build());
    }

    /** A Deployment whose one container has these env variables. */
    public Deployment app(String name, EnvVar... env) {
        return create(new DeploymentBuilder(FakeWorkloadController.deployment(name, 1)).editSpec().editTemplate().editSpec()
                .editFirstContainer().withEnv(env).endContainer().endSpec().endTemplate().endSpec().build());
    }

    /** A Deployment that takes all its settings from a ConfigMap through envFrom. */
    public Deployment appWithConfigMap(String name, Map<String, String> settings) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name + "-config")
                .endMetadata().withData(settings).build()).create();
        return create(new DeploymentBuilder(FakeWorkloadController.deployment(name, 1)).editSpec().editTemplate().editSpec()
                .editFirstContainer().addNewEnvFrom().withNewConfigMapRef().withName(name + "-config").endConfigMapRef().endEnvFrom()
                .endContainer().endSpec().endTemplate().endSpec().build());
    }

    public static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    public static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build();
    }

    private void service(String name, Map<String, String> labels) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build()).create();
    }

    private void secret(String name, Map<String, String> labels, String k1, String v1, String k2, String v2) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().addToData(k1, base64(v1)).addToData(k2, base64(v2)).build()).create();
    }

    private <T extends HasMetadata> T create(T object) {
        return client.resource(object).inNamespace(namespace).create();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
