package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates on the target the roles that own or are granted something on the source, so a restore
 * that keeps ownership and grants succeeds. Never with superuser, replication or bypassrls, and
 * without passwords: those are set by whoever manages the target's roles.
 */
public final class RoleCopier {
    private RoleCopier() {
    }

    public static List<RoleInfo> missingOn(Db target, List<RoleInfo> sourceRoles) {
        Set<String> existing = new HashSet<>(target.list("SELECT rolname FROM pg_roles", rs -> rs.getString(1)));
        List<RoleInfo> missing = new ArrayList<>();
        for (RoleInfo r : sourceRoles) {
            if (!existing.contains(r.name())) {
                missing.add(r);
            }
        }
        return missing;
    }

    /** With {@code keepOwnership}: creates the roles the target lacks and says which; returns their names. */
    public static List<String> createMissingIfKept(boolean keepOwnership, ConnectionSpec target, List<RoleInfo> sourceRoles,
                                                   Consumer<String> out) {
        if (!keepOwnership) {
            return List.of();
        }
        List<String> created;
        try (Db db = Db.connect(target)) {
            created = createMissing(db, sourceRoles);
        }
        if (!created.isEmpty()) {
            out.accept("roles: created on the target without passwords: " + String.join(", ", created));
        }
        return created;
    }

    /** Creates the missing roles; returns their names. */
    public static List<String> createMissing(Db target, List<RoleInfo> sourceRoles) {
        List<String> created = new ArrayList<>();
        for (RoleInfo r : missingOn(target, sourceRoles)) {
            target.execute("CREATE ROLE " + Db.quoteIdent(r.name())
                    + (r.canLogin() ? " LOGIN" : " NOLOGIN")
                    + (r.inherit() ? " INHERIT" : " NOINHERIT")
                    + (r.createDb() ? " CREATEDB" : "")
                    + " CONNECTION LIMIT " + r.connectionLimit());
            created.add(r.name());
        }
        return created;
    }
}
