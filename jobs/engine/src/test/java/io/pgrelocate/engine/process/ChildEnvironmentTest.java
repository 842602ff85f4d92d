package io.pgrelocate.engine.process;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Child tools inherit the environment without the run's secrets. */
class ChildEnvironmentTest {
    @Test
    void passwordsAndUrisWithPasswordsAreRemoved() {
        Map<String, String> env = new HashMap<>(Map.of(
                "PGRELOCATE_SOURCE_PASSWORD", "x", "PGRELOCATE_TARGET_URI", "postgresql://app@db/app",
                "PGPASSWORD", "y", "PGPASSFILE", "/home/u/.pgpass", "DATABASE_URL", "postgres://app:hunter2@db/app",
                "PATH", "/usr/bin", "HOME", "/home/u", "LANG", "C.UTF-8", "SITE", "https://example.com/a@b"));
        ChildEnvironment.scrub(env);
        assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG", "SITE");
    }
}
