package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.settings.SslMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MysqlUriTest {
    @Test
    void parsesBothSchemes() {
        MysqlSource s = MysqlUri.parse("mysql://app@db.example:3307/auth?sslmode=require");
        assertThat(s.flavour()).isEqualTo(MysqlSource.Flavour.MYSQL);
        assertThat(s.connection().display()).isEqualTo("app@db.example:3307/auth");
        assertThat(s.connection().sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(s.jdbcProperties().getProperty("sslMode")).isEqualTo("trust");
        MysqlSource m = MysqlUri.parse("mariadb://app@[::1]/auth");
        assertThat(m.connection().port()).isEqualTo(3306);
        assertThat(m.jdbcUrl()).isEqualTo("jdbc:mariadb://[::1]:3306/auth");
    }

    @Test
    void passwordsComeFromTheEnvironmentNeverIntoStrings() {
        MysqlSource s = MysqlUri.parse("mysql://app@db/auth").complete(new PasswordSource(Map.of("PW", "hunter2")), null, "PW");
        assertThat(s.connection().password().reveal()).isEqualTo("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(s.jdbcProperties().getProperty("password")).isEqualTo("hunter2");
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThatThrownBy(() -> MysqlUri.parse("mysql://db/auth")).isInstanceOf(SettingsException.class).hasMessageContaining("USER@");
        assertThatThrownBy(() -> MysqlUri.parse("mysql://app@db")).hasMessageContaining("DATABASE");
        assertThatThrownBy(() -> MysqlUri.parse("mysql://app@db/x?charset=latin1")).hasMessageContaining("sslmode");
    }
}
