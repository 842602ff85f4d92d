package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SslMode;

import java.nio.file.Path;
import java.util.Properties;

/**
 * A MySQL or MariaDB server to read from. Host, port, user, password and TLS are held in a
 * {@link ConnectionSpec}, so passwords follow the same rules (and masking) as for PostgreSQL.
 */
public record MysqlSource(ConnectionSpec connection, Flavour flavour) {
    public enum Flavour { MYSQL, MARIADB }

    public static MysqlSource parse(String uri) {
        return MysqlUri.parse(uri);
    }

    /** The password from a file or an environment variable, as {@link PasswordSource} does for PostgreSQL. */
    public MysqlSource complete(PasswordSource passwords, Path passwordFile, String passwordEnv) {
        return new MysqlSource(passwords.complete(connection, passwordFile, passwordEnv), flavour);
    }

    public String jdbcUrl() {
        String h = connection.host().contains(":") ? "[" + connection.host() + "]" : connection.host();
        return "jdbc:mariadb://" + h + ":" + connection.port() + "/" + connection.database();
    }

    /** Driver properties, password included: hand them to the driver only. */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", connection.user());
        if (connection.password() != null) {
            p.setProperty("password", connection.password().reveal());
        }
        p.setProperty("sslMode", sslMode(connection.sslMode()));
        if (connection.sslRootCert() != null) {
            p.setProperty("serverSslCert", connection.sslRootCert().toString());
        }
        p.setProperty("connectTimeout", "10000");
        // MySQL 8's caching_sha2_password over plain TCP needs the server's RSA key.
        p.setProperty("allowPublicKeyRetrieval", "true");
        // Values travel as the server's text (zero dates, unsigned 64-bit, fractional seconds intact).
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("tinyInt1isBit", "false");
        p.setProperty("yearIsDateType", "false");
        return p;
    }

    private static String sslMode(SslMode mode) {
        return switch (mode) {
            case DISABLE, ALLOW, PREFER -> "disable";
            case REQUIRE -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_FULL -> "verify-full";
        };
    }

    public String display() {
        return flavour.name().toLowerCase() + ":" + connection.display();
    }

    @Override
    public String toString() {
        return display();
    }
}
