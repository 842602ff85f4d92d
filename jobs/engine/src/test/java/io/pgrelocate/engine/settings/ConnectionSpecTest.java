package io.pgrelocate.engine.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSpecTest {
    @Test
    void parsesAFullLibpqUri() {
        ConnectionSpec s = ConnectionSpec.parse("postgresql://app%40corp:p%3Ass@db.example:6432/my%20db?sslmode=require&application_name=x");
        assertThat(s.user()).isEqualTo("app@corp");
        assertThat(s.password().reveal()).isEqualTo("p:ss");
        assertThat(s.host()).isEqualTo("db.example");
        assertThat(s.port()).isEqualTo(6432);
        assertThat(s.database()).isEqualTo("my db");
        assertThat(s.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6432/my%20db");
    }

    @Test
    void parsesKeywordValueStrings() {
        ConnectionSpec s = ConnectionSpec.parse("host=db.internal port=6543 dbname='my app' user=app password='it\\'s ok' sslmode=verify-ca sslrootcert=/ca.crt");
        assertThat(s.host()).isEqualTo("db.internal");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.database()).isEqualTo("my app");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password().reveal()).isEqualTo("it's ok");
        assertThat(s.sslMode()).isEqualTo(SslMode.VERIFY_CA);
        assertThat(LibpqUri.redact("host=h password='se cret' user=u")).isEqualTo("host=h password=**** user=u");
        assertThatThrownBy(() -> ConnectionSpec.parse("host=h dbname='open")).hasMessageContaining("unterminated");
    }

    @Test
    void defaultsFollowLibpq() {
        ConnectionSpec s = ConnectionSpec.parse("postgres://bob@[::1]");
        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.port()).isEqualTo(5432);
        assertThat(s.database()).isEqualTo("bob");
        assertThat(s.sslMode()).isEqualTo(SslMode.PREFER);
        assertThat(s.jdbcUrl()).startsWith("jdbc:postgresql://[::1]:5432/");
    }

    @Test
    void neverPrintsThePassword() {
        ConnectionSpec s = ConnectionSpec.parse("postgresql://app:hunter2@db/app");
        assertThat(s.toString()).doesNotContain("hunter2").contains("app@db:5432/app");
        assertThat(s.display()).doesNotContain("hunter2");
        assertThat(s.libpqEnvironment().values()).doesNotContain("hunter2");
        assertThat(LibpqUri.redact("postgresql://app:hunter2@db/app?password=hunter2")).doesNotContain("hunter2");
    }

    @Test
    void verifyModesNeedARootCertificate() {
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://a@h/d?sslmode=verify-full"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("sslrootcert");
        ConnectionSpec s = ConnectionSpec.parse("postgresql://a@h/d?sslmode=verify-full&sslrootcert=/etc/ca.crt");
        assertThat(s.jdbcProperties("t").getProperty("sslrootcert")).isEqualTo("/etc/ca.crt");
        assertThat(s.libpqEnvironment()).containsEntry("PGSSLMODE", "verify-full").containsEntry("PGSSLROOTCERT", "/etc/ca.crt");
    }

    @Test
    void rejectsBadInputWithOneLine() {
        assertThatThrownBy(() -> ConnectionSpec.parse("mysql://a@h/d")).hasMessageStartingWith("not a libpq URI");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://a:pw@h:notaport/d")).hasMessageContaining("port 'notaport'")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://a@h/d?sslmode=sometimes")).hasMessageContaining("unknown sslmode");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://a@h1,h2/d")).hasMessageContaining("multi-host");
    }

    @Test
    void passwordComesFromFileThenEnvThenPgpass(@TempDir Path dir) throws IOException {
        ConnectionSpec bare = ConnectionSpec.parse("postgresql://app@db:5432/app");
        Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
        Path pgpass = Files.writeString(dir.resolve("pgpass"), "# comment\nother:*:*:*:nope\ndb:5432:*:app:from\\:pgpass\n");
        PasswordSource source = new PasswordSource(Map.of("PW", "from-env", "PGPASSFILE", pgpass.toString()));

        assertThat(source.complete(bare, file, "PW").password().reveal()).isEqualTo("from-file");
        assertThat(source.complete(bare, null, "PW").password().reveal()).isEqualTo("from-env");
        assertThat(source.complete(bare, null, null).password().reveal()).isEqualTo("from:pgpass");
        assertThat(source.complete(ConnectionSpec.parse("postgresql://app:inline@db/app"), file, "PW").password().reveal())
                .isEqualTo("inline");
        assertThatThrownBy(() -> source.complete(bare, null, "UNSET")).hasMessageContaining("UNSET").hasMessageContaining("is not set");
    }

    @Test
    void writesAPrivatePgpassThatLibpqCanRead(@TempDir Path dir) throws IOException {
        ConnectionSpec a = ConnectionSpec.parse("postgresql://u:pa:ss\\x@h1:1/d1");
        ConnectionSpec b = ConnectionSpec.parse("postgresql://u@h2:2/d2");
        Path file = PgpassFile.write(dir.resolve("pgpass"), List.of(a, b));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("h1:1:d1:u:pa\\:ss\\\\x\n");
        assertThat(PgpassFile.lookup(Files.readAllLines(file), a)).contains("pa:ss\\x");
    }

    @Test
    void filterParsesSchemasAndExtensions() {
        ObjectFilter f = ObjectFilter.parse(List.of("metric_helpers", "extension:set_user", "schema:x"));
        assertThat(f.excludedSchemas()).containsExactlyInAnyOrder("metric_helpers", "x");
        assertThat(f.excludedExtensions()).containsExactly("set_user");
        assertThat(f.userSchemaPredicate("n")).contains("n NOT IN ('metric_helpers', 'x')");
    }
}
