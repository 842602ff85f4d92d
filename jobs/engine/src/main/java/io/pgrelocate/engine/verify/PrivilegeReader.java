package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Who may do what, as the applications will meet it: the owner of every table, view, sequence,
 * schema and function, each role's effective privileges on them ({@code aclexplode} of the ACL, or
 * of the owner's default ACL when none was set), default privileges ({@code pg_default_acl}), and
 * the attributes and memberships of every role named there. Keys name the object and the role, so
 * a difference says what was lost for whom. The database's own ACL is left out: the fence changes it.
 * Superusers, the session's own login and the predefined pg_* roles are left out of the role lines:
 * the target's operator manages those.
 */
final class PrivilegeReader {
    /** The key of the database's owner, present only when an application role (not a superuser) owns it. */
    static final String DATABASE_OWNER = "database owner";
    private static final String OBJECTS = """
            SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                     WHEN 'f' THEN 'foreign table' ELSE 'table' END || ' ' || n.nspname || '.' || c.relname,
                   c.relowner, coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %1$s AND %2$s
            UNION ALL
            SELECT 'schema ' || n.nspname, n.nspowner, coalesce(n.nspacl, acldefault('n', n.nspowner))
              FROM pg_namespace n WHERE %1$s
            UNION ALL
            SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   p.proowner, coalesce(p.proacl, acldefault('f', p.proowner))
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s AND %3$s
            """;

    private PrivilegeReader() {
    }

    /** "what [for whom]" → owner, privileges or attributes. */
    static SortedMap<String, String> read(Db db, ObjectFilter filter) {
        SortedMap<String, String> lines = new TreeMap<>();
        String objects = OBJECTS.formatted(filter.userSchemaPredicate("n.nspname"),
                Introspector.notExtensionMember("pg_class", "c.oid"), Introspector.notExtensionMember("pg_proc", "p.oid"));
        db.list("SELECT o.object, pg_get_userbyid(o.owner) FROM (" + objects + ") o(object, owner, acl)",
                rs -> lines.put(rs.getString(1) + " owner", rs.getString(2)));
        db.list("""
                SELECT o.object || ' for ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                       string_agg(a.privilege_type || CASE WHEN a.is_grantable THEN ' (grantable)' ELSE '' END, ', '
                                  ORDER BY a.privilege_type)
                  FROM (%s) o(object, owner, acl), LATERAL aclexplode(o.acl) a
                 GROUP BY 1
                """.formatted(objects), rs -> lines.put(rs.getString(1), rs.getString(2)));
        db.list("""
                SELECT 'default privileges of ' || pg_get_userbyid(d.defaclrole) || coalesce(' in schema ' || n.nspname, '') || ' on '
                       || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                            WHEN 'T' THEN 'types' ELSE 'schemas' END
                       || ' for ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
                       string_agg(a.privilege_type || CASE WHEN a.is_grantable THEN ' (grantable)' ELSE '' END, ', '
                                  ORDER BY a.privilege_type)
                  FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace, LATERAL aclexplode(d.defaclacl) a
                 WHERE d.defaclnamespace = 0 OR %s
                 GROUP BY 1
                """.formatted(filter.userSchemaPredicate("n.nspname")), rs -> lines.put(rs.getString(1), rs.getString(2)));
        // an application role owning the database is pg_database_owner (CREATE in schema public on PostgreSQL 15)
        db.list("SELECT r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = current_database() AND NOT r.rolsuper",
                rs -> lines.put(DATABASE_OWNER, rs.getString(1)));
        roles(db, objects, lines);
        return lines;
    }

    /** Attributes and memberships of the roles that own or are granted something above. */
    private static void roles(Db db, String objects, SortedMap<String, String> lines) {
        String named = """
                SELECT o.owner FROM (%1$s) o(object, owner, acl)
                UNION SELECT a.grantee FROM (%1$s) o(object, owner, acl), LATERAL aclexplode(o.acl) a
                UNION SELECT defaclrole FROM pg_default_acl
                UNION SELECT a.grantee FROM pg_default_acl d, LATERAL aclexplode(d.defaclacl) a
                """.formatted(objects);
        String roles = "SELECT r.* FROM pg_roles r WHERE r.oid IN (" + named + ") AND NOT r.rolsuper AND r.rolname <> current_user "
                + "AND r.rolname NOT LIKE 'pg\\_%'";
        db.list("""
                SELECT r.rolname, CASE WHEN r.rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END
                       || CASE WHEN r.rolinherit THEN ' INHERIT' ELSE ' NOINHERIT' END
                       || CASE WHEN r.rolcreatedb THEN ' CREATEDB' ELSE '' END || CASE WHEN r.rolcreaterole THEN ' CREATEROLE' ELSE '' END
                       || ' CONNECTION LIMIT ' || r.rolconnlimit || coalesce(' VALID UNTIL ' || r.rolvaliduntil, '')
                  FROM (%s) r
                """.formatted(roles), rs -> lines.put("role " + rs.getString(1), rs.getString(2)));
        db.list("""
                SELECT 'role ' || r.rolname || ' member of ' || g.rolname, CASE WHEN m.admin_option THEN 'with admin option' ELSE 'member' END
                  FROM (%s) r JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
                """.formatted(roles), rs -> lines.put(rs.getString(1), rs.getString(2)));
    }
}
