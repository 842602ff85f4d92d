package io.pgrelocate.engine.discover;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The major read from an image tag, and the tags that do not say it. */
class ImageMajorTest {
    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "docker.io/bitnami/postgresql:15.4.0-debian-12-r2, 15",
            "registry.corp.example:5000/mirror/postgres:16-alpine, 16",
            "postgres:17.2@sha256:0123456789abcdef, 17",
            "postgres:latest, none",
            "postgres:9.6, none",
            "registry.corp.example:5000/postgres, none",
            "postgres@sha256:0123456789abcdef, none"})
    void majorFromTheTag(String image, Integer major) {
        assertThat(ImageMajor.of(image)).isEqualTo(Optional.ofNullable(major));
    }
}
