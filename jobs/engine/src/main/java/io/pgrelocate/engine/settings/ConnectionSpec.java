package io.pgrelocate.engine.settings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where one database lives and how to log in: host, port, database, user, password, TLS.
 * Immutable; {@link #toString()} never shows the password.
 */
public record ConnectionSpec(String host, int port, String database, String user, Secret password,
                             SslMode sslMode, Path sslRootCert) {

    public static final int DEFAULT_PORT = 5432;

    public ConnectionSpec {
        if (host == null || host.isBlank()) {
            throw new SettingsException("no host given");
        }
        if (port <= 0 || port > 65535) {
            throw new SettingsException("port " + port + " is out of range");
        }
        if (database == null || database.isBlank()) {
            throw new SettingsException("no database name given");
        }
        if (user == null || user.isBlank()) {
            throw new SettingsException("no user given");
        }
        if (sslMode == null) {
            sslMode = SslMode.PREFER;
        }
        if (sslMode.verifiesCertificate() && sslRootCert == null) {
            throw new SettingsException("sslmode=" + sslMode.libpqName()
                    + " needs a root certificate: set sslrootcert to the CA file");
        }
    }

    /** Parses a libpq URI, e.g. {@code postgresql://app@db:5432/app?sslmode=require}. */
    public static ConnectionSpec parse(String uri) {
        return LibpqUri.parse(uri);
    }

    public ConnectionSpec withPassword(Secret newPassword) {
        return new ConnectionSpec(host, port, database, user, newPassword, sslMode, sslRootCert);
    }

    public String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + LibpqUri.encode(database);
    }

    /** JDBC properties, password included: hand them to the driver only. */
    public Properties jdbcProperties(String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password.reveal());
        }
        p.setProperty("sslmode", sslMode.libpqName());
        if (sslRootCert != null) {
            p.setProperty("sslrootcert", sslRootCert.toString());
        }
        p.setProperty("ApplicationName", applicationName);
        // in the startup packet, not a SET after login: the fence's watch tells the tool's sessions by it from their first moment
        p.setProperty("assumeMinServerVersion", "9.0");
        p.setProperty("connectTimeout", "10");
        return p;
    }

    /** libpq environment for a child process; the password goes through a pgpass file instead. */
    public Map<String, String> libpqEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        env.put("PGSSLMODE", sslMode.libpqName());
        if (sslRootCert != null) {
            env.put("PGSSLROOTCERT", sslRootCert.toString());
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }

    /** user@host:port/database — what logs and reports show. */
    public String display() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return display() + "?sslmode=" + sslMode.libpqName() + (password == null ? "" : " (password set)");
    }
}
