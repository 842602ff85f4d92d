package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the copy would run into halfway, found before anything is written: objects the source
 * user cannot read, too few free connections for --jobs, an exclusion that leaves a dependency
 * dangling, owners the target user cannot become, other sessions writing to the source.
 */
final class CopyRisks {
    private static final int SHOWN = 5;

    private final Db src;
    private final Db tgt;
    private final ObjectFilter filter;

    CopyRisks(Db src, Db tgt, ObjectFilter filter) {
        this.src = src;
        this.tgt = tgt;
        this.filter = filter;
    }

    List<Check> checks(int jobs, boolean keepOwnership) {
        List<Check> checks = new ArrayList<>();
        checks.add(readable());
        // pg_dump -j N: the leader and N workers, and one reading COPY progress; pg_restore: N workers and the progress
        checks.add(connections("source", src, jobs, jobs + 2));
        checks.add(connections("target", tgt, jobs, jobs + 1));
        checks.add(exclusions());
        if (keepOwnership) {
            checks.add(owners());
        }
        checks.add(sessions());
        checks.add(Check.pass("tls", "source " + tls(src) + ", target " + tls(tgt)));
        return checks;
    }

    /** The TLS this session really uses, next to what was asked for: sslmode=prefer may end up without. */
    private static String tls(Db db) {
        return db.text("SELECT coalesce((SELECT CASE WHEN ssl THEN version ELSE 'no TLS' END FROM pg_stat_ssl WHERE pid = pg_backend_pid()), "
                + "'no TLS')") + " (sslmode=" + db.spec().sslMode().libpqName() + ")";
    }

    /** pg_dump needs SELECT on every table, sequence and large object it dumps. */
    private Check readable() {
        List<String> unreadable = src.list("""
                SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' ELSE 'table ' END || n.nspname || '.' || c.relname
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'm', 'S') AND %s AND %s AND NOT has_table_privilege(c.oid, 'SELECT')
                UNION ALL
                SELECT 'large object ' || l.oid FROM pg_largeobject_metadata l
                 WHERE NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                   AND current_setting('lo_compat_privileges') = 'off'
                   AND NOT EXISTS (SELECT 1 FROM aclexplode(coalesce(l.lomacl, acldefault('L', l.lomowner))) a
                                    WHERE a.privilege_type = 'SELECT' AND (a.grantee = 0 OR pg_has_role(a.grantee, 'USAGE')))
                 ORDER BY 1
                """.formatted(filter.userSchemaPredicate("n.nspname"), Introspector.notExtensionMember("pg_class", "c.oid")),
                rs -> rs.getString(1));
        if (unreadable.isEmpty()) {
            return Check.pass("source privileges", "the source user may read every table, sequence and large object");
        }
        return Check.fail("source privileges", ExitCode.PRIVILEGES, "the source user " + src.spec().user() + " may not read "
                + shown(unreadable) + ": GRANT SELECT on them (or pg_read_all_data), or --exclude their schema");
    }

    /** Free connections: max_connections less the reserved ones and those in use. */
    private Check connections(String side, Db db, int jobs, int needed) {
        long free = db.longValue("""
                SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                       - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
                """);
        if (needed > free) {
            return Check.fail(side + " connections", ExitCode.BAD_SETTINGS, "--jobs " + jobs + " needs " + needed + " connections to the "
                    + side + " " + db.spec().display() + ", which has " + Math.max(free, 0) + " free (max_connections less "
                    + "those reserved and in use): lower --jobs to " + Math.max(1, free - (needed - jobs)));
        }
        return Check.pass(side + " connections", Plural.of(needed, "connection") + " needed, " + free + " free");
    }

    /** Objects left in the copy that depend on something in an excluded schema would fail the restore or dangle. */
    private Check exclusions() {
        if (filter.excludedSchemas().isEmpty()) {
            return Check.pass("exclusions", filter.excludedExtensions().isEmpty() ? "nothing left out"
                    : "left out extensions " + String.join(", ", filter.excludedExtensions().stream().sorted().toList()));
        }
        String excluded = filter.excludedSchemas().stream().sorted().map(ObjectFilter::literal).collect(Collectors.joining(", "));
        List<String> dangling = src.list("""
                SELECT DISTINCT CASE WHEN o.type = 'rule' AND o.identity LIKE '"_RETURN" on %%' THEN 'view ' || substr(o.identity, 14)
                                     ELSE o.type || ' ' || o.identity END || ' needs ' || r.type || ' ' || r.identity
                  FROM pg_depend d, LATERAL pg_identify_object(d.classid, d.objid, 0) o,
                       LATERAL pg_identify_object(d.refclassid, d.refobjid, 0) r,
                       LATERAL (SELECT coalesce(o.schema, '') AS nspname) n
                 WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384 AND r.schema IN (%s) AND %s
                 ORDER BY 1
                """.formatted(excluded, filter.userSchemaPredicate("n.nspname")), rs -> rs.getString(1));
        if (dangling.isEmpty()) {
            return Check.pass("exclusions", "left out " + filter + "; nothing copied depends on them");
        }
        return Check.fail("exclusions", ExitCode.BAD_SETTINGS, "excluding schema(s) " + excluded + " leaves what is copied depending on "
                + "them: " + shown(dangling) + "; exclude those too, or do not exclude the schema");
    }

    /**
     * pg_restore gives each object its source owner (ALTER … OWNER TO), which needs membership in
     * that role; roles that preflight would create are not joined by a non-superuser.
     */
    private Check owners() {
        List<String> ownerNames = src.list("""
                SELECT DISTINCT pg_get_userbyid(o) FROM (
                    SELECT c.relowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s
                    UNION SELECT n.nspowner FROM pg_namespace n WHERE %1$s
                    UNION SELECT p.proowner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE %1$s
                    UNION SELECT t.typowner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE %1$s
                    UNION SELECT lomowner FROM pg_largeobject_metadata) owners(o) ORDER BY 1
                """.formatted(filter.userSchemaPredicate("n.nspname")), rs -> rs.getString(1));
        List<String> cannot = new ArrayList<>();
        for (String owner : ownerNames) {
            boolean can = tgt.one("""
                    SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                           OR coalesce((SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = ?), false)
                    """, rs -> rs.getBoolean(1), owner);
            if (!can) {
                cannot.add(owner);
            }
        }
        if (cannot.isEmpty()) {
            return Check.pass("owners", "the target user may become every owner: " + String.join(", ", ownerNames));
        }
        return Check.fail("owners", ExitCode.PRIVILEGES, "with --keep-ownership the restore makes " + String.join(", ", cannot)
                + " owners on the target, and " + tgt.spec().user() + " is not a member of them (or they do not exist yet): "
                + "create them and GRANT them to " + tgt.spec().user() + ", run as a superuser, or pass --no-keep-ownership; "
                + "no role was created");
    }

    /** Writes by other sessions after pg_dump's snapshot are not copied, and verify will name them. */
    private Check sessions() {
        List<String> others = src.list("""
                SELECT coalesce(usename, '?') || coalesce(' from ' || host(client_addr), '') || coalesce(' (' || nullif(application_name, '') || ')', '')
                  FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                   AND application_name <> ?
                 ORDER BY 1
                """, rs -> rs.getString(1), Db.APPLICATION_NAME);
        if (others.isEmpty()) {
            return Check.pass("source sessions", "no other session is connected to the source database");
        }
        return Check.pass("source sessions", "warning: " + Plural.of(others.size(), "other session") + " on the source ("
                + shown(others) + "): writes after the snapshot will show as differences; stop the writers first");
    }

    private static String shown(List<String> items) {
        return items.stream().limit(SHOWN).collect(Collectors.joining(", ")) + (items.size() > SHOWN ? ", … (" + items.size() + " in all)" : "");
    }
}
