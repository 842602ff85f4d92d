package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The production overlay's own patches: the pattern users copy for big databases. */
class ProductionOverlayTest {

    private static final Path PRODUCTION = ProjectLayout.OVERLAYS.resolve("production");
    private static final String MIGRATION = PgrelocateJobs.objectName("migration");

    @Test
    void migrationDumpsToThePersistentVolumeClaimNotAnEmptyDir() {
        CronJob migration = Render.of(PRODUCTION).cronJob(MIGRATION);
        String workVolume = Render.container(migration).getVolumeMounts().stream()
                .filter(m -> "/work".equals(m.getMountPath())).map(VolumeMount::getName).findFirst().orElseThrow();
        Volume work = Render.podSpec(migration).getVolumes().stream()
                .filter(v -> workVolume.equals(v.getName())).findFirst().orElseThrow();
        assertThat(work.getEmptyDir()).as("emptyDir left beside the claim").isNull();
        assertThat(work.getPersistentVolumeClaim().getClaimName()).isEqualTo("pgrelocate-work");
    }

    @Test
    void migrationGetsMoreMemoryAndCpuThanTheBase() {
        ResourceRequirements base = Render.container(Render.of(ProjectLayout.MANIFESTS).cronJob(MIGRATION)).getResources();
        ResourceRequirements production = Render.container(Render.of(PRODUCTION).cronJob(MIGRATION)).getResources();
        for (String resource : new String[] {"cpu", "memory"}) {
            assertThat(amount(production.getLimits().get(resource))).as("limit " + resource)
                    .isGreaterThan(amount(base.getLimits().get(resource)));
            assertThat(amount(production.getRequests().get(resource))).as("request " + resource)
                    .isGreaterThan(amount(base.getRequests().get(resource)));
        }
    }

    private static BigDecimal amount(Quantity quantity) {
        return quantity.getNumericalAmount();
    }
}
