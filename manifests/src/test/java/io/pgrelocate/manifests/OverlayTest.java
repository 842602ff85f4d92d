package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** Every overlay renders what its own kustomization.yaml promises: namespace, images, settings. */
@ExtendWith(NameTheDirOnFailure.class)
class OverlayTest {

    /** Kinds without a namespace that a kustomization could render; pgrelocate's RBAC test forbids the cluster roles anyway. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass");

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#overlays")
    void everyObjectAndSubjectIsInTheOverlayNamespace(Path overlay) {
        String namespace = OverlayIntent.read(overlay).namespace();
        assertThat(namespace).as("namespace in " + overlay.resolve("kustomization.yaml")).isNotBlank();
        Render render = Render.of(overlay);
        assertSoftly(softly -> {
            for (HasMetadata object : render.objects()) {
                if (!CLUSTER_SCOPED.contains(object.getKind())) {
                    softly.assertThat(object.getMetadata().getNamespace())
                            .as(object.getKind() + " " + object.getMetadata().getName()).isEqualTo(namespace);
                }
            }
            for (RoleBinding binding : render.all(RoleBinding.class)) {
                for (Subject subject : binding.getSubjects()) {
                    softly.assertThat(subject.getNamespace()).as(binding.getMetadata().getName() + " subject " + subject.getName())
                            .isEqualTo(namespace);
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#overlays")
    void everyImageIsRetaggedAsTheOverlaySays(Path overlay) {
        OverlayIntent intent = OverlayIntent.read(overlay);
        Render base = Render.of(ProjectLayout.MANIFESTS);
        Render render = Render.of(overlay);
        assertSoftly(softly -> render.all(CronJob.class).forEach(cronJob -> {
            String name = cronJob.getMetadata().getName();
            String baseImage = imageName(Render.container(base.cronJob(name)).getImage());
            String image = Render.container(cronJob).getImage();
            softly.assertThat(intent.images()).as(overlay + " images: entry for " + baseImage).containsKey(baseImage);
            softly.assertThat(image).as(name + " image").isEqualTo(intent.images().get(baseImage)).doesNotEndWith(":latest");
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#overlays")
    void overlaySettingsAreMergedIntoTheBaseSettings(Path overlay) {
        var rendered = Render.of(overlay).settings();
        assertThat(rendered).as("overlay values").containsAllEntriesOf(OverlayIntent.read(overlay).settings());
        assertThat(rendered.keySet()).as("base keys kept").containsAll(Render.of(ProjectLayout.MANIFESTS).settings().keySet());
    }

    /** The image reference without its tag or digest, as kustomize's images: entries name it. */
    private static String imageName(String image) {
        String withoutDigest = image.split("@", 2)[0];
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
    }
}
