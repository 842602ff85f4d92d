package io.pgrelocate.engine.postgres;

import io.pgrelocate.engine.settings.ObjectFilter;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/** Reads what a database holds, through the catalogs. Read-only. */
public final class Introspector {
    /** Excludes objects that belong to an extension: CREATE EXTENSION brings them back. */
    public static String notExtensionMember(String classId, String oidColumn) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + classId + "'::regclass"
                + " AND d.objid = " + oidColumn + " AND d.deptype = 'e')";
    }

    private final Db db;
    private final ObjectFilter filter;

    public Introspector(Db db, ObjectFilter filter) {
        this.db = db;
        this.filter = filter;
    }

    public ServerVersion version() {
        return db.one("SELECT current_setting('server_version_num')::int, current_setting('server_version')",
                rs -> new ServerVersion(rs.getInt(1), rs.getString(2)));
    }

    public long databaseBytes() {
        return db.longValue("SELECT pg_database_size(current_database())");
    }

    public String currentUser() {
        return db.text("SELECT current_user");
    }

    public boolean isSuperuser() {
        return db.text("SELECT current_setting('is_superuser')").equals("on");
    }

    /** Tables, partitions and materialized views, largest first. */
    public List<TableInfo> tables() {
        return db.list("""
                SELECT n.nspname, c.relname, c.relkind, c.relpersistence = 'u', c.relispopulated,
                       greatest(c.reltuples, 0)::bigint, pg_table_size(c.oid)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'm') AND %s AND %s
                 ORDER BY pg_table_size(c.oid) DESC, 1, 2
                """.formatted(filter.userSchemaPredicate("n.nspname"), notExtensionMember("pg_class", "c.oid")),
                rs -> new TableInfo(rs.getString(1), rs.getString(2), rs.getString(3).charAt(0),
                        rs.getBoolean(4), rs.getBoolean(5), rs.getLong(6), rs.getLong(7)));
    }

    public List<ExtensionInfo> installedExtensions() {
        return db.list("SELECT extname, extversion FROM pg_extension ORDER BY 1",
                rs -> new ExtensionInfo(rs.getString(1), rs.getString(2))).stream()
                .filter(e -> filter.keepsExtension(e.name())).toList();
    }

    public List<ExtensionInfo> availableExtensions() {
        return db.list("SELECT name, default_version FROM pg_available_extensions ORDER BY 1",
                rs -> new ExtensionInfo(rs.getString(1), rs.getString(2)));
    }

    /** Roles that own something in this database or are named in its ACLs (PUBLIC and pg_* left out). */
    public List<RoleInfo> referencedRoles() {
        return roles(List.of());
    }

    /**
     * The roles the database needs on the target: those that own something in it or are named in its
     * ACLs or default privileges, the roles that are members of those (the application logins of a
     * group role), and the {@code named} ones; PUBLIC and the predefined pg_* roles left out.
     */
    public List<RoleInfo> roles(Collection<String> named) {
        String schemas = filter.userSchemaPredicate("n.nspname");
        return db.list("""
                WITH RECURSIVE refs(oid) AS (
                    SELECT c.relowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s
                    UNION SELECT (aclexplode(c.relacl)).grantee FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relacl IS NOT NULL AND %1$s
                    UNION SELECT n.nspowner FROM pg_namespace n WHERE %1$s
                    UNION SELECT (aclexplode(n.nspacl)).grantee FROM pg_namespace n WHERE n.nspacl IS NOT NULL AND %1$s
                    UNION SELECT p.proowner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s
                    UNION SELECT (aclexplode(p.proacl)).grantee FROM pg_proc p
                          JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proacl IS NOT NULL AND %1$s
                    UNION SELECT t.typowner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE %1$s
                    UNION SELECT d.defaclrole FROM pg_default_acl d
                    UNION SELECT (aclexplode(d.defaclacl)).grantee FROM pg_default_acl d
                    UNION SELECT lomowner FROM pg_largeobject_metadata
                    UNION SELECT datdba FROM pg_database WHERE datname = current_database()
                    UNION SELECT oid FROM pg_roles WHERE rolname::text = ANY (?)
                ), needed(oid) AS (
                    SELECT oid FROM refs
                    UNION SELECT m.member FROM pg_auth_members m JOIN needed ON needed.oid = m.roleid
                )
                SELECT r.rolname, r.rolcanlogin, r.rolinherit, r.rolcreatedb, r.rolconnlimit, r.rolcreaterole,
                       r.rolvaliduntil::text, r.rolsuper,
                       ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                              WHERE m.member = r.oid ORDER BY 1)
                  FROM pg_roles r JOIN (SELECT DISTINCT oid FROM needed) n ON n.oid = r.oid
                 WHERE r.rolname NOT LIKE 'pg\\_%%'
                 ORDER BY 1
                """.formatted(schemas),
                rs -> new RoleInfo(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getInt(5),
                        rs.getBoolean(6), rs.getString(7), List.of((String[]) rs.getArray(9).getArray()), rs.getBoolean(8)),
                textArray(named));
    }

    private java.sql.Array textArray(Collection<String> values) {
        try {
            return db.connection().createArrayOf("text", values.toArray());
        } catch (SQLException e) {
            throw new DbException(db.spec(), e);
        }
    }

    public long largeObjectBytes() {
        return db.longValue("SELECT pg_table_size('pg_catalog.pg_largeobject')");
    }

    public long largeObjectCount() {
        return db.longValue("SELECT count(*) FROM pg_largeobject_metadata");
    }

    /**
     * User objects in the database, as "kind name" lines: relations, functions, types, schemas
     * other than public, extensions other than plpgsql, large objects. Empty for a fresh database.
     */
    public List<String> userObjects(int limit) {
        String schemas = ObjectFilter.NONE.userSchemaPredicate("n.nspname");
        return db.list("""
                SELECT kind || ' ' || name FROM (
                    SELECT 1 AS o, 'relation' AS kind, n.nspname || '.' || c.relname AS name
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s AND %2$s
                    UNION ALL SELECT 2, 'function', n.nspname || '.' || p.proname
                      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s AND %3$s
                    UNION ALL SELECT 3, 'type', n.nspname || '.' || t.typname
                      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE t.typtype IN ('e', 'd', 'r', 'm') AND %1$s AND %4$s
                    UNION ALL SELECT 4, 'schema', n.nspname FROM pg_namespace n WHERE %1$s AND n.nspname <> 'public'
                    UNION ALL SELECT 5, 'extension', extname FROM pg_extension WHERE extname <> 'plpgsql'
                    UNION ALL SELECT 6, 'large object', lo.oid::text FROM pg_largeobject_metadata lo
                ) objects ORDER BY o, name LIMIT %5$d
                """.formatted(schemas, notExtensionMember("pg_class", "c.oid"), notExtensionMember("pg_proc", "p.oid"),
                notExtensionMember("pg_type", "t.oid"), limit),
                rs -> rs.getString(1));
    }
}
