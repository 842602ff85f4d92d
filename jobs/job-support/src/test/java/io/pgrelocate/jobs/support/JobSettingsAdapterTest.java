package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings as a Job sees them: environment variables in, engine settings out. */
class JobSettingsAdapterTest {
    @TempDir
    Path tmp;

    /** Reads JobSettings from the given environment, exactly as Quarkus maps it. */
    static JobSettings settings(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(JobSettings.class)
                .withSources(new EnvConfigSource(env, 300))
                // Quarkus reads "5m" as five minutes; plain SmallRye only knows Duration.parse ("PT5M").
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
        return config.getConfigMapping(JobSettings.class);
    }

    private JobSettingsAdapter adapter(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("PGPASSFILE", tmp.resolve("no-such-pgpass").toString());
        return new JobSettingsAdapter(new PasswordSource(e));
    }

    private static Map<String, String> both(String sourceUri, String targetUri) {
        Map<String, String> env = new HashMap<>();
        env.put("PGRELOCATE_SOURCE_URI", sourceUri);
        env.put("PGRELOCATE_TARGET_URI", targetUri);
        return env;
    }

    private static String password(ConnectionSpec spec) {
        return spec.password() == null ? null : spec.password().reveal();
    }

    @Test
    void defaultsApplyWhenOnlyTheUrisAreSet() {
        Map<String, String> env = both("postgresql://app@zalando-db:5432/app?sslmode=require", "postgresql://app@cnpg-rw/app");
        MigrationSettings ms = adapter(Map.of()).migrationSettings(settings(env));

        assertThat(ms.source().display()).isEqualTo("app@zalando-db:5432/app");
        assertThat(ms.target().display()).isEqualTo("app@cnpg-rw:5432/app");
        assertThat(ms.copy().jobs()).isEqualTo(2);
        assertThat(ms.copy().workDir()).isEqualTo(Path.of("/work"));
        assertThat(ms.copy().compressLevel()).isZero();
        assertThat(ms.copy().keepOwnership()).isTrue();
        assertThat(ms.copy().rolePasswords()).isEqualTo(io.pgrelocate.engine.roles.RolePasswords.CARRY);
        assertThat(ms.appLogins()).isEmpty();
        assertThat(ms.copy().analyze()).isTrue();
        assertThat(ms.copy().filter()).isEqualTo(ObjectFilter.SPILO_DEFAULT);
        assertThat(ms.allowNonEmpty()).isFalse();
    }

    @Test
    void applicationLoginsComeFromSecretFilesAndPointAtTheTarget(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path web = dir.resolve("web-uri");
        java.nio.file.Files.writeString(web, "postgresql://mastodon:app%20secret@acid-mastodon:5432/mastodon?sslmode=require\n");
        Map<String, String> env = both("postgresql://postgres@acid-mastodon/mastodon", "postgresql://postgres@mastodon-rw:5432/mastodon");
        env.put("PGRELOCATE_APP_LOGINS", "mastodon-web=file:" + web);

        MigrationSettings ms = adapter(Map.of()).migrationSettings(settings(env));

        assertThat(ms.appLogins()).hasSize(1);
        assertThat(ms.appLogins().get(0).app()).isEqualTo("mastodon-web");
        assertThat(ms.appLogins().get(0).login().display()).isEqualTo("mastodon@mastodon-rw:5432/mastodon");
        assertThat(ms.appLogins().get(0).login().password().reveal()).isEqualTo("app secret");
        assertThat(ms.appLogins().toString()).doesNotContain("app secret");
    }

    @Test
    void plainValuesMapFromTheirEnvironmentVariables() {
        Map<String, String> env = both("postgresql://a@s/a", "postgresql://a@t/a");
        env.put("PGRELOCATE_JOBS", "6");
        env.put("PGRELOCATE_WORK_DIR", "/data/dump");
        env.put("PGRELOCATE_COMPRESS", "3");
        env.put("PGRELOCATE_KEEP_OWNERSHIP", "false");
        env.put("PGRELOCATE_ROLE_PASSWORDS", "target-secret");
        env.put("PGRELOCATE_ALLOW_NON_EMPTY", "true");
        env.put("PGRELOCATE_PG_BIN", "/usr/lib/postgresql/17/bin");
        env.put("PGRELOCATE_REPORT_FILE", "/reports/migration.json");
        env.put("PGRELOCATE_DRY_RUN", "true");
        JobSettings s = settings(env);
        MigrationSettings ms = adapter(Map.of()).migrationSettings(s);

        assertThat(ms.copy().jobs()).isEqualTo(6);
        assertThat(ms.copy().workDir()).isEqualTo(Path.of("/data/dump"));
        assertThat(ms.copy().compressLevel()).isEqualTo(3);
        assertThat(ms.copy().keepOwnership()).isFalse();
        assertThat(ms.copy().rolePasswords()).isEqualTo(io.pgrelocate.engine.roles.RolePasswords.TARGET_SECRET);
        assertThat(ms.copy().tools().binDir()).isEqualTo(Path.of("/usr/lib/postgresql/17/bin"));
        assertThat(ms.allowNonEmpty()).isTrue();
        assertThat(s.reportFile()).contains(Path.of("/reports/migration.json"));
        assertThat(s.dryRun()).isTrue();
    }

    @Test
    void passwordInTheUriWinsOverEverythingElse() throws IOException {
        Path file = Files.writeString(tmp.resolve("pw"), "from-file\n");
        Map<String, String> env = both("postgresql://app:from-uri@db/app", "postgresql://app@t/app");
        env.put("PGRELOCATE_SOURCE_PASSWORD", "from-env");
        env.put("PGRELOCATE_SOURCE_PASSWORD_FILE", file.toString());

        assertThat(password(adapter(Map.of()).source(settings(env)))).isEqualTo("from-uri");
    }

    @Test
    void passwordVariableWinsOverPasswordFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("pw"), "from-file\n");
        Map<String, String> env = both("postgresql://app@db/app", "postgresql://app@t/app");
        env.put("PGRELOCATE_SOURCE_PASSWORD", "from-env");
        env.put("PGRELOCATE_SOURCE_PASSWORD_FILE", file.toString());

        assertThat(password(adapter(Map.of()).source(settings(env)))).isEqualTo("from-env");
    }

    @Test
    void passwordFileWinsOverPgpass() throws IOException {
        Path file = Files.writeString(tmp.resolve("pw"), "from-file\n");
        Path pgpass = Files.writeString(tmp.resolve("pgpass"), "*:*:*:*:from-pgpass\n");
        Map<String, String> env = both("postgresql://app@db/app", "postgresql://app@t/app");
        env.put("PGRELOCATE_TARGET_PASSWORD_FILE", file.toString());
        JobSettingsAdapter adapter = adapter(Map.of("PGPASSFILE", pgpass.toString()));

        assertThat(password(adapter.target(settings(env)))).isEqualTo("from-file");
        assertThat(password(adapter.source(settings(env)))).isEqualTo("from-pgpass");
    }

    @Test
    void withoutAnyPasswordTheSpecHasNone() {
        Map<String, String> env = both("postgresql://app@db/app", "postgresql://app@t/app");
        assertThat(adapter(Map.of()).source(settings(env)).password()).isNull();
    }

    @Test
    void missingTargetUriIsASettingsErrorNamingTheVariable() {
        Map<String, String> env = new HashMap<>();
        env.put("PGRELOCATE_SOURCE_URI", "postgresql://app@db/app");
        JobSettings s = settings(env);

        assertThat(adapter(Map.of()).source(s).host()).isEqualTo("db");
        assertThatThrownBy(() -> adapter(Map.of()).migrationSettings(s))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("PGRELOCATE_TARGET_URI is not set");
    }

    @Test
    void badUriIsASettingsErrorThatHidesThePassword() {
        Map<String, String> env = both("mysql://app:hunter2@db/app", "postgresql://app@t/app");
        assertThatThrownBy(() -> adapter(Map.of()).migrationSettings(settings(env)))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("PGRELOCATE_SOURCE_URI: ")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void excludeListIsParsed() {
        Map<String, String> env = both("postgresql://a@s/a", "postgresql://a@t/a");
        env.put("PGRELOCATE_EXCLUDE", "metric_helpers,schema:audit,extension:pg_stat_kcache");
        ObjectFilter f = adapter(Map.of()).migrationSettings(settings(env)).copy().filter();

        assertThat(f.excludedSchemas()).isEqualTo(Set.of("metric_helpers", "audit"));
        assertThat(f.excludedExtensions()).isEqualTo(Set.of("pg_stat_kcache"));
    }

    @Test
    void excludeNoneLeavesNothingBehind() {
        Map<String, String> env = both("postgresql://a@s/a", "postgresql://a@t/a");
        env.put("PGRELOCATE_EXCLUDE", "none");
        assertThat(adapter(Map.of()).migrationSettings(settings(env)).copy().filter()).isEqualTo(ObjectFilter.NONE);
        assertThat(JobSettingsAdapter.filter(List.of("schema:x"))).isEqualTo(ObjectFilter.parse(List.of("x")));
    }

    @Test
    void outOfRangeNumbersAreSettingsErrors() {
        Map<String, String> env = both("postgresql://a@s/a", "postgresql://a@t/a");
        env.put("PGRELOCATE_JOBS", "0");
        assertThatThrownBy(() -> adapter(Map.of()).migrationSettings(settings(env)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("PGRELOCATE_JOBS");
        env.put("PGRELOCATE_JOBS", "1");
        env.put("PGRELOCATE_COMPRESS", "12");
        assertThatThrownBy(() -> adapter(Map.of()).migrationSettings(settings(env)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("PGRELOCATE_COMPRESS");
    }

    @Test
    void passwordsNeverAppearInToString() throws IOException {
        Path file = Files.writeString(tmp.resolve("pw"), "file-secret-3\n");
        Map<String, String> env = both("postgresql://app:uri-secret-1@db/app", "postgresql://app@t/app");
        env.put("PGRELOCATE_SOURCE_PASSWORD", "env-secret-2");
        env.put("PGRELOCATE_TARGET_PASSWORD_FILE", file.toString());
        MigrationSettings ms = adapter(Map.of()).migrationSettings(settings(env));

        assertThat(password(ms.source())).isEqualTo("uri-secret-1");
        assertThat(password(ms.target())).isEqualTo("file-secret-3");
        assertThat(ms.toString()).doesNotContain("secret").contains("(password set)");
        assertThat(ms.source().toString()).doesNotContain("secret");
        assertThat(ms.target().toString()).doesNotContain("secret");
    }
}
