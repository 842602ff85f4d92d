package io.pgrelocate.engine.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection strings are read as strictly as libpq reads them: nothing silently dropped, one line per mistake. */
class StrictInputTest {
    @Test
    void aTypoInAParameterIsRefusedNamingTheNearestOne() {
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@db/app?sslmod=require")).isInstanceOf(SettingsException.class)
                .hasMessage("invalid connection parameter \"sslmod\" (did you mean sslmode?)");
        assertThatThrownBy(() -> ConnectionSpec.parse("host=db dbname=app user=app sslmod=require"))
                .hasMessage("invalid connection parameter \"sslmod\" (did you mean sslmode?)");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@db/app?sslrootcrt=/ca.crt")).hasMessageContaining("did you mean sslrootcert?");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@db/app?zzzzzzzz=1")).hasMessage("invalid connection parameter \"zzzzzzzz\"");
    }

    @Test
    void libpqParametersPgrelocateCannotHonourAreRefusedNotIgnored() {
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@db/app?sslmode=require&sslcert=/c.crt"))
                .hasMessageStartingWith("connection parameter \"sslcert\" is not supported by pgrelocate");
        assertThat(ConnectionSpec.parse("postgresql://app@db/app?application_name=x&connect_timeout=5").host()).isEqualTo("db");
    }

    @Test
    void malformedUrisAreOneClearLine() {
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@[::1/shop")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("malformed connection URI").hasMessageContaining("without closing ']'");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app:p%zzw@db/shop")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("invalid percent-encoding in the password").hasMessageNotContaining("zz");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://app@db/sh%2")).isInstanceOf(SettingsException.class)
                .hasMessageContaining("invalid percent-encoding");
    }

    @Test
    void unixSocketHostsAreRefusedClearly() {
        assertThatThrownBy(() -> ConnectionSpec.parse("host=/var/run/postgresql dbname=app user=app"))
                .hasMessageStartingWith("unix-domain socket host /var/run/postgresql is not supported");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql://%2Fvar%2Frun%2Fpostgresql/app?user=app"))
                .hasMessageContaining("unix-domain socket host");
        assertThatThrownBy(() -> ConnectionSpec.parse("postgresql:///app?user=app")).hasMessageContaining("names no host");
    }

    @Test
    void pgpasswordIsHonouredAfterTheRunsOwnSourcesAndBeforePgpass(@TempDir Path dir) throws IOException {
        ConnectionSpec bare = ConnectionSpec.parse("postgresql://app@db:5432/app");
        Path pgpass = Files.writeString(dir.resolve("pgpass"), "db:5432:*:app:from-pgpass\n");
        PasswordSource source = new PasswordSource(Map.of("PW", "from-env", "PGPASSWORD", "from-pgpassword", "PGPASSFILE", pgpass.toString()));
        assertThat(source.complete(bare, null, "PW").password().reveal()).isEqualTo("from-env");
        assertThat(source.complete(bare, null, null).password().reveal()).isEqualTo("from-pgpassword");
        assertThat(new PasswordSource(Map.of("PGPASSFILE", pgpass.toString())).complete(bare, null, null).password().reveal())
                .isEqualTo("from-pgpass");
    }
}
