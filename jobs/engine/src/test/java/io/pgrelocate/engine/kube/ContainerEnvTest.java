package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kubelet's rules for a container's environment, each one as kubelet_pods.go applies it. */
class ContainerEnvTest {
    static final ObjectMeta POD = new ObjectMetaBuilder().withName("web-7d9f-abcde").withNamespace("mastodon")
            .addToLabels("app", "web").build();
    static final ContainerEnv.Objects OBJECTS = new ContainerEnv.Objects() {
        @Override
        public Optional<Map<String, String>> configMap(String name) {
            return Optional.ofNullable(Map.of("db", ordered("DATABASE_URL", "postgres://acid-main/app", "DB_HOST", "from-configmap",
                    "bad key", "skipped", "1STARTS_WITH_DIGIT", "skipped")).get(name));
        }

        @Override
        public Optional<Map<String, String>> secret(String name) {
            return Optional.ofNullable(Map.of("creds", Map.of("username", "mastodon", "password", "s3cret")).get(name));
        }
    };

    @Test
    void envFromComesFirstWithItsPrefixAndEnvReplacesIt() {
        Container c = new ContainerBuilder().withName("web")
                .addNewEnvFrom().withNewConfigMapRef("db", false).endEnvFrom()
                .addNewEnvFrom().withPrefix("DB_").withNewSecretRef("creds", false).endEnvFrom()
                .addNewEnv().withName("DB_HOST").withValue("acid-main").endEnv()
                .build();

        assertThat(ContainerEnv.resolve(c, POD, OBJECTS)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "DATABASE_URL", "postgres://acid-main/app", "DB_HOST", "acid-main", "DB_username", "mastodon", "DB_password", "s3cret"));
    }

    @Test
    void valuesExpandWhatIsDefinedBeforeThemOnly() {
        Container c = new ContainerBuilder().withName("web")
                .addNewEnv().withName("USER").withNewValueFrom().withNewSecretKeyRef("username", "creds", false).endValueFrom().endEnv()
                .addNewEnv().withName("URL").withValue("postgres://$(USER):$(PASS)@$(HOST)/app").endEnv()
                .addNewEnv().withName("HOST").withValue("acid-main").endEnv()
                .addNewEnv().withName("ESCAPED").withValue("$$(USER) costs $$5, $x and $(unclosed").endEnv()
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("EMPTY").endEnv()
                .build();

        assertThat(ContainerEnv.resolve(c, POD, OBJECTS)).containsExactly(
                Map.entry("USER", "mastodon"),
                Map.entry("URL", "postgres://mastodon:$(PASS)@$(HOST)/app"),
                Map.entry("HOST", "acid-main"),
                Map.entry("ESCAPED", "$(USER) costs $5, $x and $(unclosed"),
                Map.entry("POD", "web-7d9f-abcde"),
                Map.entry("APP", "web"),
                Map.entry("EMPTY", ""));
    }

    @Test
    void aMissingOptionalObjectOrKeyLeavesTheVariableOut() {
        Container c = new ContainerBuilder().withName("web")
                .addNewEnvFrom().withNewSecretRef("gone", true).endEnvFrom()
                .addNewEnv().withName("A").withNewValueFrom().withNewSecretKeyRef("nokey", "creds", true).endValueFrom().endEnv()
                .addNewEnv().withName("B").withNewValueFrom().withNewConfigMapKeyRef("x", "gone", true).endValueFrom().endEnv()
                .addNewEnv().withName("C").withNewValueFrom().withNewConfigMapKeyRef("DB_HOST", "db", false).endValueFrom().endEnv()
                .build();

        assertThat(ContainerEnv.resolve(c, POD, OBJECTS)).containsExactly(Map.entry("C", "from-configmap"));
    }

    @Test
    void aMissingRequiredObjectOrKeyKeepsTheContainerFromStarting() {
        Container gone = new ContainerBuilder().withName("web")
                .addNewEnv().withName("P").withNewValueFrom().withNewSecretKeyRef("password", "mastodon.acid-main.credentials", null)
                .endValueFrom().endEnv().build();
        Container noKey = new ContainerBuilder().withName("web")
                .addNewEnv().withName("P").withNewValueFrom().withNewSecretKeyRef("pass", "creds", false).endValueFrom().endEnv().build();
        Container envFrom = new ContainerBuilder().withName("web").addNewEnvFrom().withNewConfigMapRef("gone", null).endEnvFrom().build();

        assertThatThrownBy(() -> ContainerEnv.resolve(gone, POD, OBJECTS)).isInstanceOf(ContainerEnv.ConfigError.class)
                .hasMessage("secret \"mastodon.acid-main.credentials\" not found");
        assertThatThrownBy(() -> ContainerEnv.resolve(noKey, POD, OBJECTS)).hasMessage("couldn't find key pass in Secret creds");
        assertThatThrownBy(() -> ContainerEnv.resolve(envFrom, POD, OBJECTS)).hasMessage("configmap \"gone\" not found");
    }

    @Test
    void theLoginIsReadFromThePartsAndTheUrlWins() {
        var parts = AppLogin.of(Map.of("DB_HOST", "acid-main", "DB_NAME", "app", "DB_USER", "mastodon", "DB_PASS", "s3cret")).orElseThrow();
        var url = AppLogin.of(Map.of("DATABASE_URL", "postgres://acid-main.mastodon.svc:6432/mastodon?sslmode=require",
                "DB_USER", "mastodon", "DB_PASS", "p@ss")).orElseThrow();
        var jdbc = AppLogin.of(Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://acid-main:5432/shop?user=shop&password=x%26y")).orElseThrow();

        assertThat(parts.display()).isEqualTo("mastodon@acid-main:5432/app");
        assertThat(parts.password().reveal()).isEqualTo("s3cret");
        assertThat(url.display()).isEqualTo("mastodon@acid-main.mastodon.svc:6432/mastodon");
        assertThat(url.password().reveal()).isEqualTo("p@ss");
        assertThat(url.sslMode().libpqName()).isEqualTo("require");
        assertThat(jdbc.display()).isEqualTo("shop@acid-main:5432/shop");
        assertThat(jdbc.password().reveal()).isEqualTo("x&y");
        assertThat(AppLogin.of(Map.of("REDIS_HOST", "redis"))).isEmpty();
    }

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
