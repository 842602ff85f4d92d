package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.postgres.Db;

/** Whether this very session is encrypted, as the server sees it ({@code pg_stat_ssl} of the own backend). */
public record TlsSession(boolean ssl, String version, String cipher) {
    public static TlsSession of(Db db) {
        return db.one("SELECT ssl, version, cipher FROM pg_catalog.pg_stat_ssl WHERE pid = pg_catalog.pg_backend_pid()",
                rs -> new TlsSession(rs.getBoolean(1), rs.getString(2), rs.getString(3)));
    }

    @Override
    public String toString() {
        return ssl ? version + " (" + cipher + ")" : "no TLS";
    }
}
