package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes the roles the database needs exist on the target as they are on the source, before the
 * restore gives them their objects and grants: created when missing, then their attributes, their
 * memberships and (with {@link RolePasswords#CARRY}) their stored password verifiers, so the
 * applications log in on the target with the passwords they already have. Never superuser,
 * replication or bypassrls; the target's own login and its superusers stay as the target has them
 * (the target's operator manages those). The verifiers go over JDBC only, never to a log.
 */
public final class RoleCarrier {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final RolePasswords passwords;
    private final Consumer<String> out;

    public RoleCarrier(ConnectionSpec source, ConnectionSpec target, RolePasswords passwords, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.passwords = passwords;
        this.out = out;
    }

    /** With {@code keepOwnership}: carries {@code roles} and returns the names of those it created; otherwise nothing. */
    public static List<String> carryIfKept(boolean keepOwnership, RolePasswords passwords, ConnectionSpec source, ConnectionSpec target,
                                           List<RoleInfo> roles, Consumer<String> out) {
        return keepOwnership ? new RoleCarrier(source, target, passwords, out).carry(roles) : List.of();
    }

    public static List<RoleInfo> missingOn(Db target, List<RoleInfo> roles) {
        Set<String> existing = new HashSet<>(target.list("SELECT rolname FROM pg_roles", rs -> rs.getString(1)));
        return roles.stream().filter(r -> !existing.contains(r.name())).toList();
    }

    /** Creates and aligns {@code roles} on the target; returns the names of those it created. */
    public List<String> carry(List<RoleInfo> roles) {
        Map<String, Secret> verifiers = passwords == RolePasswords.CARRY ? verifiers(roles) : Map.of();
        String databaseOwner = applicationOwnerOfSource();
        List<String[]> settings = roleSettings(roles);
        List<String> created = new ArrayList<>();
        List<String> withPassword = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try (Db db = Db.connect(target)) {
            quietStatements(db);
            Set<String> missing = new HashSet<>(missingOn(db, roles).stream().map(RoleInfo::name).toList());
            Set<String> untouchable = new HashSet<>(db.list(
                    "SELECT rolname FROM pg_roles WHERE rolsuper OR rolname = current_user", rs -> rs.getString(1)));
            for (RoleInfo r : roles) {
                String role = Db.quoteIdent(r.name());
                if (missing.contains(r.name())) {
                    db.execute("CREATE ROLE " + role);
                    created.add(r.name());
                } else if (untouchable.contains(r.name()) || r.superuser()) {
                    kept.add(r.name());
                    continue;
                }
                Secret verifier = verifiers.get(r.name());
                db.execute("ALTER ROLE " + role + " " + r.attributes()
                        + (verifier == null ? "" : " PASSWORD '" + verifier.reveal().replace("'", "''") + "'"));
                if (verifier != null) {
                    withPassword.add(r.name());
                }
            }
            grantMemberships(db, roles);
            settings.stream().filter(roleAndSql -> !kept.contains(roleAndSql[0])).forEach(roleAndSql -> db.execute(roleAndSql[1]));
            if (databaseOwner != null && !databaseOwner.equals(db.text("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))) {
                // the database owner is pg_database_owner: on PostgreSQL 15 that is who may CREATE in schema public
                db.execute("ALTER DATABASE " + Db.quoteIdent(target.database()) + " OWNER TO " + Db.quoteIdent(databaseOwner));
                out.accept("roles: database " + target.database() + " now owned by " + databaseOwner + ", as on the source");
            }
        }
        if (!created.isEmpty()) {
            out.accept("roles: created on the target: " + String.join(", ", created));
        }
        out.accept("roles: " + roles.size() + " carried with their attributes and memberships; "
                + (passwords == RolePasswords.TARGET_SECRET ? "no passwords (role passwords: target-secret)"
                : withPassword.isEmpty() ? "no stored passwords to carry" : "passwords carried as stored verifiers for " + String.join(", ", withPassword))
                + (kept.isEmpty() ? "" : "; kept as the target has them: " + String.join(", ", kept)));
        return created;
    }

    /** The source database's owner when it is an application role (not a superuser, whose databases the target's operator owns). */
    private String applicationOwnerOfSource() {
        try (Db db = Db.connect(source)) {
            return db.list("SELECT r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
                    + "WHERE d.datname = current_database() AND NOT r.rolsuper", rs -> rs.getString(1)).stream().findFirst().orElse(null);
        }
    }

    /** A list setting, written unquoted so each element keeps its own quoting (as pg_dumpall splits them). */
    private static final Set<String> LIST_SETTINGS = Set.of("search_path", "temp_tablespaces", "session_preload_libraries",
            "local_preload_libraries");

    /**
     * {@code ALTER ROLE … SET} for the settings the non-superuser roles have on the source, for all
     * databases or for this one (then in the target's), e.g. a role's search_path or statement_timeout:
     * pairs of role and statement.
     */
    private List<String[]> roleSettings(List<RoleInfo> roles) {
        List<String> names = roles.stream().filter(r -> !r.superuser()).map(RoleInfo::name).toList();
        if (names.isEmpty()) {
            return List.of();
        }
        try (Db db = Db.connect(source)) {
            return db.list("""
                    SELECT r.rolname, s.setdatabase <> 0, c.setting
                      FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole, unnest(s.setconfig) c(setting)
                     WHERE (s.setdatabase = 0 OR s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
                       AND r.rolname::text = ANY (?)
                    """, rs -> new String[] {rs.getString(1), alterRoleSet(rs.getString(1), rs.getBoolean(2), rs.getString(3))},
                    (Object) names.toArray(new String[0]));
        }
    }

    private String alterRoleSet(String role, boolean inThisDatabase, String setting) {
        String name = setting.substring(0, setting.indexOf('='));
        String value = setting.substring(setting.indexOf('=') + 1);
        return "ALTER ROLE " + Db.quoteIdent(role) + (inThisDatabase ? " IN DATABASE " + Db.quoteIdent(target.database()) : "")
                + " SET " + Db.quoteIdent(name) + " TO "
                + (LIST_SETTINGS.contains(name.toLowerCase(java.util.Locale.ROOT)) ? value : "'" + value.replace("'", "''") + "'");
    }

    private Map<String, Secret> verifiers(List<RoleInfo> roles) {
        List<String> logins = roles.stream().filter(r -> r.canLogin() && !r.superuser()).map(RoleInfo::name).toList();
        if (logins.isEmpty()) {
            return Map.of();
        }
        try (Db db = Db.connect(source)) {
            return StoredVerifiers.readable(db) ? StoredVerifiers.read(db, logins) : Map.of();
        }
    }

    /** Keeps the verifiers out of the target's server log where this session may (a superuser's own settings). */
    private static void quietStatements(Db db) {
        if (db.text("SELECT current_setting('is_superuser')").equals("on")) {
            db.execute("SET log_statement = 'none'; SET log_min_duration_statement = -1");
        }
    }

    /** GRANT group TO member for each membership the target lacks, where the group exists there. */
    private static void grantMemberships(Db db, List<RoleInfo> roles) {
        Set<String> existing = new HashSet<>(db.list("SELECT rolname FROM pg_roles", rs -> rs.getString(1)));
        Set<String> granted = new HashSet<>(db.list("""
                SELECT g.rolname || ' ' || r.rolname FROM pg_auth_members m
                  JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
                """, rs -> rs.getString(1)));
        for (RoleInfo r : roles) {
            for (String group : r.memberOf()) {
                if (existing.contains(group) && !granted.contains(group + " " + r.name()) && !r.superuser()) {
                    db.execute("GRANT " + Db.quoteIdent(group) + " TO " + Db.quoteIdent(r.name()));
                }
            }
        }
    }
}
