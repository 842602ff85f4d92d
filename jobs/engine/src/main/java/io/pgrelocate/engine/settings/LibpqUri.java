package io.pgrelocate.engine.settings;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses libpq connection strings: URIs ({@code postgres[ql]://[user[:password]@][host][:port][/dbname][?key=value&...]})
 * and keyword/value strings ({@code host=db port=5432 dbname=app user=app sslmode=require}). PostgreSQL
 * schemes only. Strict as libpq is: an unknown parameter, a malformed URI or escape is one clear line
 * ({@link SettingsException}), never a silently dropped setting or a stack trace.
 */
final class LibpqUri {
    private LibpqUri() {
    }

    static ConnectionSpec parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new SettingsException("empty connection URI");
        }
        try {
            return parseStrictly(uri);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            if (e instanceof SettingsException) {
                throw e;
            }
            throw new SettingsException("malformed connection URI " + redact(uri) + ": " + e.getMessage());
        }
    }

    private static ConnectionSpec parseStrictly(String uri) {
        String rest;
        if (!uri.contains("://") && uri.contains("=")) {
            return fromKeywords(keywords(uri), uri);
        }
        if (uri.startsWith("postgresql://")) {
            rest = uri.substring("postgresql://".length());
        } else if (uri.startsWith("postgres://")) {
            rest = uri.substring("postgres://".length());
        } else {
            throw new SettingsException("not a libpq URI (must start with postgresql://): " + redact(uri));
        }
        Map<String, String> query = new HashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new SettingsException("URI parameter without value: " + pair);
                }
                String key = decode(pair.substring(0, eq), "a parameter name");
                query.put(key, decode(pair.substring(eq + 1), key.equals("password") ? "the password" : "parameter " + key));
            }
            rest = rest.substring(0, q);
        }
        String database = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = decode(rest.substring(slash + 1), "the database name");
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "the user name");
            password = colon >= 0 ? decode(userInfo.substring(colon + 1), "the password") : null;
        }
        if (rest.contains(",")) {
            throw new SettingsException("multi-host URIs are not supported; name the primary only");
        }
        String host = rest;
        Integer port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new SettingsException("malformed connection URI " + redact(uri) + ": IPv6 host without closing ']'");
            }
            String after = host.substring(close + 1);
            host = host.substring(1, close);
            if (after.startsWith(":")) {
                port = parsePort(after.substring(1));
            }
        } else if (host.contains(":")) {
            int colon = host.lastIndexOf(':');
            port = parsePort(host.substring(colon + 1));
            host = host.substring(0, colon);
        }
        host = decode(host, "the host");

        if (!host.isEmpty()) {
            query.putIfAbsent("host", host);
        }
        if (port != null) {
            query.putIfAbsent("port", port.toString());
        }
        if (user != null) {
            query.putIfAbsent("user", user);
        }
        if (password != null) {
            query.putIfAbsent("password", password);
        }
        if (database != null && !database.isEmpty()) {
            query.putIfAbsent("dbname", database);
        }
        return fromKeywords(query, uri);
    }

    /** Builds the spec from libpq keywords; both string forms end here. */
    private static ConnectionSpec fromKeywords(Map<String, String> query, String original) {
        query.keySet().forEach(ConnectionKeywords::check);
        String host = query.get("host");
        Integer port = query.containsKey("port") ? parsePort(query.get("port")) : null;
        String user = query.get("user");
        String password = query.get("password");
        String database = query.get("dbname");
        if (database == null) {
            database = user;  // libpq's default
        }
        SslMode sslMode = query.containsKey("sslmode") ? SslMode.parse(query.get("sslmode")) : SslMode.PREFER;
        Path rootCert = query.containsKey("sslrootcert") ? Path.of(query.get("sslrootcert")) : null;
        if (host == null || host.isEmpty()) {
            throw new SettingsException("the connection string names no host (libpq would then use a unix-domain socket, "
                    + "which pgrelocate cannot: it connects over TCP): " + redact(original));
        }
        if (host.startsWith("/") || host.startsWith("@")) {
            throw new SettingsException("unix-domain socket host " + host + " is not supported (pgrelocate connects over TCP): "
                    + "use host=localhost or the server's address");
        }
        return new ConnectionSpec(host, port == null ? ConnectionSpec.DEFAULT_PORT : port, database, user,
                Secret.of(password), sslMode, rootCert);
    }

    /** Splits {@code key=value key='quoted \\' value'} as libpq does. */
    private static Map<String, String> keywords(String conninfo) {
        Map<String, String> map = new HashMap<>();
        int i = 0;
        int n = conninfo.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = conninfo.indexOf('=', i);
            if (eq < 0) {
                throw new SettingsException("connection string item without '=': " + redact(conninfo.substring(i)));
            }
            String key = conninfo.substring(i, eq).trim();
            i = eq + 1;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                while (i < n && conninfo.charAt(i) != '\'') {
                    char c = conninfo.charAt(i++);
                    value.append(c == '\\' && i < n ? conninfo.charAt(i++) : c);
                }
                if (i >= n) {
                    throw new SettingsException("unterminated quoted value for " + key + " in the connection string");
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    char c = conninfo.charAt(i++);
                    value.append(c == '\\' && i < n ? conninfo.charAt(i++) : c);
                }
            }
            map.put(key, value.toString());
        }
        return map;
    }

    /** The URI with any password replaced by a mask, safe for an error message. */
    static String redact(String uri) {
        return uri.replaceAll("(://[^:/@?]*):[^@/?]*@", "$1:****@")
                .replaceAll("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^&\\s]*)", "$1****");
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SettingsException("port '" + text + "' is not a number");
        }
    }

    /** Percent-decodes {@code part} of a URI; the error names the part, never its text (it may be the password). */
    private static String decode(String s, String part) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("invalid percent-encoding in " + part + " of the connection URI: "
                    + "write % as %25, and each escape as % and two hex digits (%2F)");
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
