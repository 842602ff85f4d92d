package io.pgrelocate.manifests;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** The settings ConfigMap is readable by anyone with ConfigMap access: plain values only. */
@ExtendWith(NameTheDirOnFailure.class)
class SettingsTest {

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void settingsHoldNoPassword(Path dir) {
        Map<String, String> settings = Render.of(dir).settings();
        assertThat(settings.keySet()).as("keys").noneMatch(key -> key.endsWith("PASSWORD"));
        assertSoftly(softly -> settings.entrySet().stream().filter(e -> e.getKey().endsWith("_URI")).forEach(e -> {
            URI uri = URI.create(e.getValue());
            softly.assertThat(uri.getUserInfo()).as(e.getKey() + " user (no password)").isNotBlank().doesNotContain(":");
            softly.assertThat(uri.getQuery()).as(e.getKey() + " query").contains("sslmode=require");
        }));
    }

    @ParameterizedTest
    @MethodSource("io.pgrelocate.manifests.Dirs#all")
    void settingsNeverConfirmACleanup(Path dir) {
        // A confirmation kept in git would be re-applied by every sync and approve the next deletion too.
        assertThat(Render.of(dir).settings()).doesNotContainKey("PGRELOCATE_CLEANUP_CONFIRM");
    }
}
