package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.settings.SslMode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Parses {@code mysql://user@host:3306/db} and {@code mariadb://…} (query: {@code sslmode}, {@code sslrootcert},
 * with libpq's names). Kept apart from the libpq parser: the two grammars evolve independently.
 */
public final class MysqlUri {
    public static final int DEFAULT_PORT = 3306;

    private MysqlUri() {
    }

    /** True when {@code uri} names a MySQL or MariaDB server. */
    public static boolean isMysql(String uri) {
        return uri != null && (uri.startsWith("mysql://") || uri.startsWith("mariadb://"));
    }

    public static MysqlSource parse(String uri) {
        if (!isMysql(uri)) {
            throw new SettingsException("not a MySQL URI (must start with mysql:// or mariadb://)");
        }
        String scheme = uri.substring(0, uri.indexOf("://"));
        String rest = uri.substring(scheme.length() + 3);
        SslMode sslMode = SslMode.PREFER;
        Path rootCert = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : decode(pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "sslmode" -> sslMode = SslMode.parse(value);
                    case "sslrootcert" -> rootCert = Path.of(value);
                    case "" -> { }
                    default -> throw new SettingsException("unknown parameter '" + key + "' in a " + scheme
                            + " URI: only sslmode and sslrootcert are understood");
                }
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new SettingsException(scheme + " URI names no database: write " + scheme + "://user@host:3306/DATABASE");
        }
        String database = decode(rest.substring(slash + 1));
        String authority = rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw new SettingsException(scheme + " URI names no user: write " + scheme + "://USER@host:3306/" + database);
        }
        String userInfo = authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        Secret password = colon < 0 ? null : Secret.of(decode(userInfo.substring(colon + 1)));
        String host = hostPort;
        int port = DEFAULT_PORT;
        int portColon = hostPort.lastIndexOf(':');
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close);
            portColon = hostPort.indexOf(':', close);
        } else if (portColon >= 0) {
            host = hostPort.substring(0, portColon);
        }
        if (portColon >= 0) {
            try {
                port = Integer.parseInt(hostPort.substring(portColon + 1));
            } catch (NumberFormatException e) {
                throw new SettingsException("port '" + hostPort.substring(portColon + 1) + "' is not a number");
            }
        }
        ConnectionSpec spec = new ConnectionSpec(host, port, database, user, password, sslMode, rootCert);
        return new MysqlSource(spec, scheme.equals("mariadb") ? MysqlSource.Flavour.MARIADB : MysqlSource.Flavour.MYSQL);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
