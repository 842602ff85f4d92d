package io.pgrelocate.engine.postgres;

import java.util.List;

/**
 * A role the migrated database needs on the target: it owns or is granted something there, is a
 * member of such a role, or was named by the caller (the role an application logs in with). The
 * attributes worth carrying; never superuser, replication or bypassrls (the target's operator owns those).
 *
 * @param validUntil the password's expiry as the server prints it, or null
 * @param memberOf   the roles it is a member of (directly), the predefined {@code pg_*} roles included
 * @param superuser  a superuser on the source: its password and attributes stay the target's business
 */
public record RoleInfo(String name, boolean canLogin, boolean inherit, boolean createDb, int connectionLimit,
                       boolean createRole, String validUntil, List<String> memberOf, boolean superuser) {
    public RoleInfo {
        memberOf = memberOf == null ? List.of() : List.copyOf(memberOf);
    }

    public RoleInfo(String name, boolean canLogin, boolean inherit, boolean createDb, int connectionLimit) {
        this(name, canLogin, inherit, createDb, connectionLimit, false, null, List.of(), false);
    }

    /** The attributes as CREATE/ALTER ROLE spells them. */
    public String attributes() {
        return (canLogin ? "LOGIN" : "NOLOGIN") + (inherit ? " INHERIT" : " NOINHERIT") + (createDb ? " CREATEDB" : " NOCREATEDB")
                + (createRole ? " CREATEROLE" : " NOCREATEROLE") + " CONNECTION LIMIT " + connectionLimit
                + (validUntil == null ? "" : " VALID UNTIL '" + validUntil.replace("'", "''") + "'");
    }
}
