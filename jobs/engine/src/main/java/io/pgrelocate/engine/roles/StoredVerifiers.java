package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.Secret;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored password verifiers of roles ({@code pg_authid.rolpassword}: {@code SCRAM-SHA-256$…} or
 * {@code md5…}), never the passwords. Held as {@link Secret}s: they log in wherever pg_hba accepts
 * the method, so they never reach a log, a report, an argument or the ledger.
 */
public final class StoredVerifiers {
    private StoredVerifiers() {
    }

    /** Whether this session may read pg_authid (a superuser, or a grant on it). */
    public static boolean readable(Db db) {
        return db.one("SELECT has_table_privilege('pg_catalog.pg_authid', 'SELECT')", rs -> rs.getBoolean(1));
    }

    /** Role → verifier, for those of {@code roles} that have a password; requires {@link #readable}. */
    public static Map<String, Secret> read(Db db, Collection<String> roles) {
        Map<String, Secret> verifiers = new LinkedHashMap<>();
        for (String role : roles) {
            db.list("SELECT rolpassword FROM pg_catalog.pg_authid WHERE rolname = ? AND rolpassword IS NOT NULL",
                    rs -> verifiers.put(role, Secret.of(rs.getString(1))), role);
        }
        return verifiers;
    }

    /** SCRAM or md5, for messages: never the verifier itself. */
    public static String method(Secret verifier) {
        return verifier.reveal().startsWith("SCRAM-SHA-256$") ? "SCRAM" : verifier.reveal().startsWith("md5") ? "md5" : "plain";
    }
}
