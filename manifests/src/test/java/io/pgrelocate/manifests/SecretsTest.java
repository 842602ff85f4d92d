package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** Passwords reach the jobs only as references to Secrets that users create; git holds no Secret. */
@ExtendWith(NameTheDirOnFailure.class)
class SecretsTest {

    private static final String SOURCE = "PGRELOCATE_SOURCE_PASSWORD";
    private static final String TARGET = "PGRELOCATE_TARGET_PASSWORD";
    private static final String SOURCE_SECRET = "pgrelocate-source/password";
    private static final String TARGET_SECRET = "pgrelocate-target/password";

    /** Per job: environment variable → Secret/key. Cleanup deletes objects and never logs in. */
    private static final Map<String, Map<String, String>> EXPECTED = Map.of(
            "backup-test", Map.of(SOURCE, SOURCE_SECRET),
            "cnpg-prepare", Map.of(SOURCE, SOURCE_SECRET, TARGET, TARGET_SECRET),
            "migration", Map.of(SOURCE, SOURCE_SECRET, TARGET, TARGET_SECRET),
            "validation", Map.of(SOURCE, SOURCE_SECRET, TARGET, TARGET_SECRET),
            "cleanup", Map.of());

    /**
     * Overlays that point a password at another Secret. Listed here on purpose: such a patch
     * changes which credentials a job uses, so a new one fails this test until it is reviewed.
     */
    private static final Map<String, Map<String, String>> PATCHED = Map.of();

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void noSecretIsRendered(Path dir) {
        assertThat(Render.of(dir).objects()).filteredOn(o -> "Secret".equals(o.getKind()))
                .as("Secrets with values must never be in git").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void passwordsComeOnlyFromTheExpectedSecretKeys(Path dir) {
        Render render = Render.of(dir);
        Map<String, String> patched = PATCHED.getOrDefault(ProjectLayout.display(dir), Map.of());
        assertSoftly(softly -> PgrelocateJobs.ALL.forEach(job -> {
            Container container = Render.container(render.cronJob(PgrelocateJobs.objectName(job)));
            softly.assertThat(secretKeyRefs(container)).as(job + " secretKeyRefs").isEqualTo(expected(job, patched));
            softly.assertThat(container.getEnv()).filteredOn(e -> e.getName().endsWith("PASSWORD") && e.getValue() != null)
                    .as(job + " passwords written as plain values").isEmpty();
            softly.assertThat(container.getEnvFrom()).extracting(EnvFromSource::getSecretRef).filteredOn(Objects::nonNull)
                    .as(job + " whole Secrets as environment").isEmpty();
        }));
    }

    private static Map<String, String> expected(String job, Map<String, String> patched) {
        Map<String, String> expected = new HashMap<>(EXPECTED.get(job));
        patched.forEach((env, ref) -> expected.computeIfPresent(env, (e, old) -> ref));
        return new TreeMap<>(expected);
    }

    private static Map<String, String> secretKeyRefs(Container container) {
        Map<String, String> refs = new TreeMap<>();
        for (EnvVar env : container.getEnv()) {
            SecretKeySelector ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
            if (ref != null) {
                refs.put(env.getName(), ref.getName() + "/" + ref.getKey());
            }
        }
        return refs;
    }
}
