package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/**
 * The migration template as manifests/migration.yaml shapes it: a suspended CronJob whose pod reads
 * ConfigMap pgrelocate-settings (envFrom) and the password key of Secrets pgrelocate-source and
 * pgrelocate-target.
 */
public final class TemplateFixture {
    private TemplateFixture() {
    }

    public static CronJob migration(String namespace) {
        return new CronJobBuilder().withNewMetadata().withName("pgrelocate-migration").withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "pgrelocate").endMetadata()
                .withNewSpec().withSuspend(true).withSchedule("0 0 31 2 *").withConcurrencyPolicy("Forbid")
                .withNewJobTemplate()
                .withNewMetadata().addToLabels(Map.of("app.kubernetes.io/name", "pgrelocate", "app.kubernetes.io/component", "migration"))
                .addToAnnotations("pgrelocate.io/runbook", "step 5").endMetadata()
                .withNewSpec().withBackoffLimit(0).withTtlSecondsAfterFinished(604800)
                .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/component", "migration").endMetadata()
                .withNewSpec().withRestartPolicy("Never").withServiceAccountName("pgrelocate-migration")
                .addNewContainer().withName("migration").withImage("pgrelocate/migration:latest")
                .addNewEnvFrom().withNewConfigMapRef().withName("pgrelocate-settings").endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("PGRELOCATE_SOURCE_PASSWORD").withNewValueFrom()
                .withNewSecretKeyRef("password", "pgrelocate-source", null).endValueFrom().endEnv()
                .addNewEnv().withName("PGRELOCATE_TARGET_PASSWORD").withNewValueFrom()
                .withNewSecretKeyRef("password", "pgrelocate-target", null).endValueFrom().endEnv()
                .addNewVolumeMount().withName("work").withMountPath("/work").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("work").withNewEmptyDir().withSizeLimit(new Quantity("10Gi")).endEmptyDir().endVolume()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build();
    }

    /** The settings ConfigMap with {@code settings}, and both Secrets with their password key. */
    public static void prerequisites(KubernetesClient client, String namespace, Map<String, String> settings) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("pgrelocate-settings")
                .endMetadata().withData(settings).build()).create();
        for (String secret : new String[] {"pgrelocate-source", "pgrelocate-target"}) {
            client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
                    .addToStringData("password", "s3cret-" + secret).build()).create();
        }
    }
}
