package io.pgrelocate.engine.settings;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The parameters a connection string may hold. libpq refuses a parameter it does not know
 * ({@code invalid connection option "sslmod"}); so does pgrelocate, naming the nearest one, because a
 * silently dropped {@code sslmode} means no TLS. Parameters libpq knows but pgrelocate does not carry
 * over to both PgJDBC and pg_dump (client certificates, services, multiple hosts…) are refused too
 * rather than ignored. Only the application name and the connect timeout are accepted and replaced
 * by pgrelocate's own.
 */
final class ConnectionKeywords {
    static final Set<String> SUPPORTED = Set.of("host", "port", "dbname", "user", "password", "sslmode", "sslrootcert");
    /** Accepted and replaced by pgrelocate's own values: they change nothing that matters to the copy. */
    static final Set<String> REPLACED = Set.of("application_name", "fallback_application_name", "connect_timeout");

    /** libpq 17's connection parameters. */
    private static final List<String> LIBPQ = List.of("host", "hostaddr", "port", "dbname", "user", "password", "passfile",
            "require_auth", "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
            "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
            "tcp_user_timeout", "replication", "gssencmode", "sslmode", "sslnegotiation", "sslcompression", "sslcert",
            "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
            "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
            "target_session_attrs", "load_balance_hosts", "requiressl");

    private ConnectionKeywords() {
    }

    /** Throws a one-line {@link SettingsException} for a parameter pgrelocate cannot honour. */
    static void check(String key) {
        if (SUPPORTED.contains(key) || REPLACED.contains(key)) {
            return;
        }
        if (LIBPQ.contains(key)) {
            throw new SettingsException("connection parameter \"" + key + "\" is not supported by pgrelocate (it understands "
                    + String.join(", ", SUPPORTED.stream().sorted().toList()) + "); remove it");
        }
        throw new SettingsException("invalid connection parameter \"" + key + "\"" + nearest(key)
                .map(k -> " (did you mean " + k + "?)").orElse(""));
    }

    private static java.util.Optional<String> nearest(String key) {
        return LIBPQ.stream().min(Comparator.comparingInt(k -> distance(k, key.toLowerCase())))
                .filter(k -> distance(k, key.toLowerCase()) <= Math.max(2, key.length() / 3));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
