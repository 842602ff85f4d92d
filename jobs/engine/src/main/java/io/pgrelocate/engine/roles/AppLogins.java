package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The applications' own logins on the target, tried as each application would: its user, password
 * and database on the target's host. Two uses:
 * <ul>
 *   <li>{@link #prove} after the copy (in the window, after the cutover and before the thaw): log in,
 *   and read a row-less probe ({@code SELECT FROM t LIMIT 0}) of every table the role may SELECT on
 *   the source ({@code has_table_privilege}). Any failure names the application and the reason.</li>
 *   <li>{@link #rehearse} before anything changes (preflight, target still empty): a login that works
 *   already passes; one refused because the role is not there yet passes only if the role will be
 *   carried with a stored password that the application's password matches.</li>
 * </ul>
 * The applications come from the caller (the {@code kube} half resolves them from the workloads'
 * settings, host rewritten to the target) or from {@code PGRELOCATE_APP_LOGINS} ({@link AppLogin}).
 * A reason never contains a password.
 */
public final class AppLogins {
    /** One application's outcome; {@code reason} is one line without any password. */
    public record Result(String app, String user, boolean passed, String reason) {
        public String line() {
            return "app " + app + ": user " + user + ": " + reason;
        }
    }

    private final ConnectionSpec source;
    private final ObjectFilter filter;

    /** {@code source}: the migration's own connection to the source, to learn what each role may read there. */
    public AppLogins(ConnectionSpec source, ObjectFilter filter) {
        this.source = source;
        this.filter = filter;
    }

    /** Logs in to the target as each application and reads a row-less probe of each table its role may SELECT on the source. */
    public List<Result> prove(List<AppLogin> apps) {
        List<Result> results = new ArrayList<>();
        try (Db src = Db.connect(source)) {
            for (AppLogin app : apps) {
                results.add(prove(app, readable(src, app.user())));
            }
        }
        return results;
    }

    /** {@link #prove}, throwing {@link ExitCode#CHECK_FAILED} naming every application that failed. */
    public void proveOrThrow(List<AppLogin> apps) {
        String failed = prove(apps).stream().filter(r -> !r.passed()).map(Result::line).collect(Collectors.joining("; "));
        if (!failed.isEmpty()) {
            throw new EngineException(ExitCode.CHECK_FAILED, "the applications cannot work on the target: " + failed);
        }
    }

    /**
     * Before the copy: whether each application will log in on the target once the roles are carried.
     * {@code src} is preflight's (read-only) source session; {@code carried} the roles the copy will
     * create or align, {@code passwords} how their passwords move.
     */
    public static List<Result> rehearse(Db src, List<AppLogin> apps, Set<String> carried, RolePasswords passwords) {
        boolean verifiersReadable = passwords == RolePasswords.CARRY && StoredVerifiers.readable(src);
        List<Result> results = new ArrayList<>();
        for (AppLogin app : apps) {
            results.add(rehearse(src, app, carried.contains(app.user()), verifiersReadable ? passwords : RolePasswords.TARGET_SECRET));
        }
        return results;
    }

    private static Result rehearse(Db src, AppLogin app, boolean carried, RolePasswords passwords) {
        try (Db ignored = Db.connect(app.login())) {
            return pass(app, "logs in on the target " + app.login().display());
        } catch (DbConnectException e) {
            String why = clean(e.getMessage(), app);
            if (e.reason() != DbConnectException.Reason.AUTHENTICATION || why.contains("pg_hba.conf")) {
                return fail(app, why);
            }
            if (!carried) {
                return fail(app, "role " + app.user() + " is not among the roles carried to the target, and the target refuses it: " + why);
            }
            if (passwords != RolePasswords.CARRY) {
                return fail(app, "the target refuses the login and its password cannot be carried (the source user may not read "
                        + "pg_authid, or role passwords: target-secret): give the application a target Secret, or connect to the "
                        + "source as a superuser; " + why);
            }
            Map<String, Secret> verifier = StoredVerifiers.read(src, List.of(app.user()));
            if (verifier.isEmpty()) {
                return fail(app, "role " + app.user() + " has no password on the source to carry");
            }
            if (!PasswordCheck.matches(verifier.get(app.user()), app.user(), app.login().password())) {
                return fail(app, "its password does not match role " + app.user() + "'s password on the source");
            }
            return pass(app, "will log in once role " + app.user() + " is carried with its " + StoredVerifiers.method(verifier.get(app.user()))
                    + " password");
        }
    }

    private Result prove(AppLogin app, List<String> tables) {
        try (Db db = Db.connect(app.login())) {
            for (String table : tables) {
                try {
                    db.list("SELECT FROM " + table + " LIMIT 0", rs -> null);
                } catch (DbException e) {
                    return fail(app, "logged in, but cannot read " + table + ": " + clean(e.getMessage(), app));
                }
            }
            return pass(app, "logged in on " + app.login().display() + " and read " + Plural.of(tables.size(), "table")
                    + " its role may read on the source");
        } catch (DbConnectException e) {
            return fail(app, clean(e.getMessage(), app));
        }
    }

    /** The tables {@code role} may SELECT on the source, quoted; none when the role is not there. */
    private List<String> readable(Db src, String role) {
        return src.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND %s AND %s
                   AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?) AND has_table_privilege(?, c.oid, 'SELECT')
                 ORDER BY 1
                """.formatted(filter.userSchemaPredicate("n.nspname"), Introspector.notExtensionMember("pg_class", "c.oid")),
                rs -> rs.getString(1), role, role);
    }

    private static Result pass(AppLogin app, String reason) {
        return new Result(app.app(), app.user(), true, reason);
    }

    private static Result fail(AppLogin app, String reason) {
        return new Result(app.app(), app.user(), false, reason);
    }

    /** One line, and never the password (a server may echo what it was sent). */
    private static String clean(String message, AppLogin app) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        Secret password = app.login().password();
        return password == null || password.reveal().isEmpty() ? line : line.replace(password.reveal(), "****");
    }
}
