package io.pgrelocate.engine.cnpg;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML of each variant, byte for byte, so that any change to what users apply shows up in review.
 * After an intended change, regenerate and review the diff:
 * {@code mvn -o test -pl jobs/engine -Dtest=GoldenManifestsTest -Dgolden.update=true}.
 */
class GoldenManifestsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest
    @EnumSource(Variants.class)
    void yamlIsTheGoldenFile(Variants variant) throws IOException {
        String yaml = ManifestYaml.documents(variant.manifests().objects());
        Path file = GOLDEN.resolve(variant.goldenFile());
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, yaml);
        }
        assertThat(file).as("golden file; see the class comment to regenerate").exists();
        assertThat(yaml).isEqualTo(Files.readString(file));
    }
}
