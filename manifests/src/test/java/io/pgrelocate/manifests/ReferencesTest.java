package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Objects;

import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** Every name one rendered object uses for another names an object of the same render (Secrets aside: users create those). */
@ExtendWith(NameTheDirOnFailure.class)
class ReferencesTest {

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void jobsReferToRenderedConfigMapsAndServiceAccounts(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> render.all(CronJob.class).forEach(cronJob -> {
            String name = cronJob.getMetadata().getName();
            PodSpec pod = Render.podSpec(cronJob);
            softly.assertThat(render.find(ServiceAccount.class, pod.getServiceAccountName()))
                    .as(name + " serviceAccountName " + pod.getServiceAccountName()).isPresent();
            pod.getContainers().stream().flatMap(c -> c.getEnvFrom().stream())
                    .map(EnvFromSource::getConfigMapRef).filter(Objects::nonNull)
                    .forEach(ref -> softly.assertThat(render.find(ConfigMap.class, ref.getName()))
                            .as(name + " configMapRef " + ref.getName()).isPresent());
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void roleBindingsBindRenderedRolesToRenderedServiceAccountsOfTheirNamespace(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> render.all(RoleBinding.class).forEach(binding -> {
            String name = binding.getMetadata().getName();
            softly.assertThat(render.find(Role.class, binding.getRoleRef().getName()))
                    .as(name + " roleRef " + binding.getRoleRef().getName()).isPresent();
            softly.assertThat(binding.getSubjects()).as(name + " subjects").isNotEmpty();
            for (Subject subject : binding.getSubjects()) {
                softly.assertThat(subject.getKind()).as(name + " subject kind").isEqualTo("ServiceAccount");
                softly.assertThat(render.find(ServiceAccount.class, subject.getName()))
                        .as(name + " subject " + subject.getName()).isPresent();
                softly.assertThat(subject.getNamespace()).as(name + " subject namespace")
                        .isNotNull().isEqualTo(binding.getMetadata().getNamespace());
            }
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void volumesAndClaimsResolve(Path dir) {
        Render render = Render.of(dir);
        assertSoftly(softly -> render.all(CronJob.class).forEach(cronJob -> {
            String name = cronJob.getMetadata().getName();
            PodSpec pod = Render.podSpec(cronJob);
            for (Container container : pod.getContainers()) {
                for (VolumeMount mount : container.getVolumeMounts()) {
                    softly.assertThat(pod.getVolumes()).extracting(Volume::getName)
                            .as(name + " mount " + mount.getMountPath()).contains(mount.getName());
                }
            }
            pod.getVolumes().stream().map(Volume::getPersistentVolumeClaim).filter(Objects::nonNull)
                    .forEach(claim -> softly.assertThat(render.find(PersistentVolumeClaim.class, claim.getClaimName()))
                            .as(name + " claim " + claim.getClaimName()).isPresent());
        }));
    }
}
