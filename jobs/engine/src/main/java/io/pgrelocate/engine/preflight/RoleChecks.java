package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.roles.AppLogin;
import io.pgrelocate.engine.roles.AppLogins;
import io.pgrelocate.engine.roles.RolePasswords;
import io.pgrelocate.engine.roles.StoredVerifiers;
import io.pgrelocate.engine.settings.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Whether the applications will log in on the target: their roles' passwords can move, and their own logins (rehearsed). */
final class RoleChecks {
    private RoleChecks() {
    }

    /**
     * The login roles' passwords move as stored verifiers, which needs a source user that may read
     * pg_authid; otherwise each role is named and preflight stops, unless the applications will log
     * in with a target Secret (role passwords: target-secret).
     */
    static Check passwords(Db src, Db tgt, List<RoleInfo> roles, RolePasswords mode) {
        Set<String> targetManaged = Set.copyOf(tgt.list("SELECT rolname FROM pg_roles WHERE rolsuper OR rolname = current_user",
                rs -> rs.getString(1)));
        // the migration's own source login is not an application's: the target has its own
        List<String> logins = roles.stream().filter(r -> r.canLogin() && !r.superuser() && !targetManaged.contains(r.name())
                        && !r.name().equals(src.spec().user()))
                .map(RoleInfo::name).toList();
        if (logins.isEmpty()) {
            return Check.pass("role passwords", "no application login role to carry a password for");
        }
        if (mode == RolePasswords.TARGET_SECRET) {
            return Check.pass("role passwords", "not carried (role passwords: target-secret): " + String.join(", ", logins)
                    + " will be created without passwords; the applications must log in with a target Secret");
        }
        if (!StoredVerifiers.readable(src)) {
            return Check.fail("role passwords", ExitCode.CHECK_FAILED, "the passwords of " + String.join(", ", logins)
                    + " cannot move with the data: the source user " + src.spec().user() + " may not read pg_authid; connect to the "
                    + "source as a superuser (Zalando's postgres, Bitnami's postgres-password), or set role passwords to target-secret "
                    + "(--role-passwords target-secret, PGRELOCATE_ROLE_PASSWORDS) when the applications will use a target Secret");
        }
        Map<String, Secret> verifiers = StoredVerifiers.read(src, logins);
        List<String> none = logins.stream().filter(r -> !verifiers.containsKey(r)).toList();
        List<String> md5 = verifiers.entrySet().stream().filter(e -> StoredVerifiers.method(e.getValue()).equals("md5"))
                .map(Map.Entry::getKey).toList();
        List<String> notes = new ArrayList<>();
        notes.add("carried as stored verifiers for " + String.join(", ", verifiers.keySet()));
        if (!none.isEmpty()) {
            notes.add("no password on the source for " + String.join(", ", none));
        }
        if (!md5.isEmpty()) {
            notes.add("warning: md5 verifiers for " + String.join(", ", md5) + " log in only where the target's pg_hba uses md5 "
                    + "(CNPG uses scram-sha-256): reset those passwords with password_encryption=scram-sha-256 first");
        }
        return Check.pass("role passwords", String.join("; ", notes));
    }

    /** One check per application: its login on the target, rehearsed ({@link AppLogins#rehearse}). */
    static List<Check> appLogins(Db src, List<AppLogin> apps, List<RoleInfo> carried, RolePasswords mode) {
        if (apps.isEmpty()) {
            return List.of();
        }
        Set<String> names = carried.stream().map(RoleInfo::name).collect(Collectors.toSet());
        return AppLogins.rehearse(src, apps, names, mode).stream()
                .map(r -> r.passed() ? Check.pass("app " + r.app(), r.line())
                        : Check.fail("app " + r.app(), ExitCode.CHECK_FAILED, r.line() + "; nothing was changed"))
                .toList();
    }
}
