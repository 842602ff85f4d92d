package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.settings.SslMode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The database login an application's resolved environment describes, read the way the common
 * frameworks read it: the parts ({@code DB_HOST}, {@code DB_PORT}, {@code DB_NAME}, {@code DB_USER},
 * {@code DB_PASS}, their {@code PG*}, {@code DATABASE_*} and {@code POSTGRES_*} spellings) and a URL
 * ({@code DATABASE_URL}, or any value that is a {@code postgres://} or {@code jdbc:postgresql://} URL),
 * whose parts win over the single variables (as Rails merges {@code DATABASE_URL} over its config).
 */
public final class AppLogin {
    private static final List<String> HOST = List.of("DB_HOST", "DATABASE_HOST", "PGHOST", "POSTGRES_HOST");
    private static final List<String> PORT = List.of("DB_PORT", "DATABASE_PORT", "PGPORT", "POSTGRES_PORT");
    private static final List<String> NAME = List.of("DB_NAME", "DB_DATABASE", "DATABASE_NAME", "PGDATABASE", "POSTGRES_DB");
    private static final List<String> USER = List.of("DB_USER", "DB_USERNAME", "DATABASE_USER", "PGUSER", "POSTGRES_USER");
    private static final List<String> PASSWORD = List.of("DB_PASS", "DB_PASSWORD", "DATABASE_PASSWORD", "PGPASSWORD", "POSTGRES_PASSWORD");

    private AppLogin() {
    }

    /** The login, or empty when the environment names no database host with a user and a database. */
    public static Optional<ConnectionSpec> of(Map<String, String> env) {
        Map<String, String> parts = new HashMap<>();
        put(parts, "host", env, HOST);
        put(parts, "port", env, PORT);
        put(parts, "dbname", env, NAME);
        put(parts, "user", env, USER);
        put(parts, "password", env, PASSWORD);
        url(env).ifPresent(u -> parts.putAll(urlParts(u)));
        if (parts.get("host") == null || parts.get("user") == null || parts.get("dbname") == null) {
            return Optional.empty();
        }
        int port = parts.get("port") == null ? ConnectionSpec.DEFAULT_PORT : Integer.parseInt(parts.get("port"));
        SslMode ssl = parts.get("sslmode") == null ? SslMode.PREFER : SslMode.parse(parts.get("sslmode"));
        return Optional.of(new ConnectionSpec(parts.get("host"), port, parts.get("dbname"), parts.get("user"),
                Secret.of(parts.get("password")), ssl.verifiesCertificate() ? SslMode.REQUIRE : ssl, null));
    }

    /** {@code DATABASE_URL}, else the first value that is a PostgreSQL URL. */
    static Optional<String> url(Map<String, String> env) {
        if (isUrl(env.get("DATABASE_URL"))) {
            return Optional.of(env.get("DATABASE_URL"));
        }
        return env.values().stream().filter(AppLogin::isUrl).findFirst();
    }

    private static boolean isUrl(String v) {
        return v != null && v.matches("(?i)(jdbc:)?postgres(ql)?://.*");
    }

    private static Map<String, String> urlParts(String url) {
        URI uri = URI.create(url.replaceFirst("(?i)^jdbc:", ""));
        Map<String, String> parts = new HashMap<>();
        if (uri.getHost() != null) {
            parts.put("host", uri.getHost());
        }
        if (uri.getPort() > 0) {
            parts.put("port", Integer.toString(uri.getPort()));
        }
        if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
            parts.put("dbname", decode(uri.getRawPath().substring(1)));
        }
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            parts.put("user", decode(userInfo[0]));
            if (userInfo.length == 2) {
                parts.put("password", decode(userInfo[1]));
            }
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && List.of("user", "password", "sslmode").contains(kv[0])) {
                    parts.put(kv[0], decode(kv[1]));
                }
            }
        }
        return parts;
    }

    private static void put(Map<String, String> parts, String part, Map<String, String> env, List<String> names) {
        names.stream().map(env::get).filter(v -> v != null && !v.isBlank()).findFirst().ifPresent(v -> parts.put(part, v));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
