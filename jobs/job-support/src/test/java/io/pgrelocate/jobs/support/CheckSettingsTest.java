package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.pgrelocate.jobs.support.JobSettingsAdapterTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks' settings as a Job sees them: environment variables in, validated values out. */
class CheckSettingsTest {
    @TempDir
    Path tmp;

    private static final ConnectionSpec TARGET = ConnectionSpec.parse("postgresql://app@db-rw/app").withPassword(Secret.of("tgt-pw"));

    private CheckSettings checks(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("PGPASSFILE", tmp.resolve("no-such-pgpass").toString());
        return new CheckSettings(new PasswordSource(e));
    }

    private static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    @Test
    void defaultsRequireTlsAndLeaveTheRestOut() {
        JobSettings s = settings(env());
        assertThat(s.requireTls()).isTrue();
        assertThat(checks(Map.of()).targetRo(s, TARGET)).isNull();
        assertThat(CheckSettings.keyTables(s)).isEmpty();
        assertThat(CheckSettings.perfMaxRatio(s)).isNull();
    }

    @Test
    void valuesMapFromTheirEnvironmentVariables() {
        JobSettings s = settings(env("PGRELOCATE_REQUIRE_TLS", "false", "PGRELOCATE_KEY_TABLES", "public.accounts, statuses",
                "PGRELOCATE_PERF_MAX_RATIO", "2.5", "PGRELOCATE_TARGET_RO_URI", "postgresql://app@db-ro/app?sslmode=require"));

        assertThat(s.requireTls()).isFalse();
        assertThat(CheckSettings.keyTables(s)).containsExactly("public.accounts", "statuses");
        assertThat(CheckSettings.perfMaxRatio(s)).isEqualTo(2.5);
        ConnectionSpec ro = checks(Map.of()).targetRo(s, TARGET);
        assertThat(ro.display()).isEqualTo("app@db-ro:5432/app");
        assertThat(ro.password().reveal()).as("the target's credentials").isEqualTo("tgt-pw");
    }

    @Test
    void readOnlyUriWithItsOwnUserTakesItsPasswordFromPgpass() throws IOException {
        Path pgpass = Files.writeString(tmp.resolve("pgpass"), "db-ro:5432:app:reader:reader-pw\n");
        JobSettings s = settings(env("PGRELOCATE_TARGET_RO_URI", "postgresql://reader@db-ro/app"));

        assertThat(checks(Map.of("PGPASSFILE", pgpass.toString())).targetRo(s, TARGET).password().reveal()).isEqualTo("reader-pw");
    }

    @Test
    void badValuesAreSettingsErrorsNamingTheVariable() {
        assertThatThrownBy(() -> CheckSettings.perfMaxRatio(settings(env("PGRELOCATE_PERF_MAX_RATIO", "0"))))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("PGRELOCATE_PERF_MAX_RATIO");
        assertThatThrownBy(() -> checks(Map.of()).targetRo(settings(env("PGRELOCATE_TARGET_RO_URI", "mysql://a:hunter2@x/y")), TARGET))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("PGRELOCATE_TARGET_RO_URI: ")
                .hasMessageNotContaining("hunter2");
    }
}
