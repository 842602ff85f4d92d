package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.files.RunDirectory;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.ExtensionInfo;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.Inventory;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.roles.AppLogin;
import io.pgrelocate.engine.roles.RoleCarrier;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Everything that must hold before anything changes: both servers answer and accept the login,
 * versions fit, pg_dump is new enough, the target is empty, extensions exist, the dump fits.
 * Read-only on both sides.
 */
public final class Preflight {
    private final PreflightOptions options;
    private final List<Check> checks = new ArrayList<>();

    public Preflight(PreflightOptions options) {
        this.options = options;
    }

    public PreflightResult run(ConnectionSpec source, ConnectionSpec target) {
        checks.clear();
        Db src = connect("source", source);
        Db tgt = connect("target", target);
        try {
            if (src == null || tgt == null) {
                return new PreflightResult(List.copyOf(checks), null, null);
            }
            if (identity(src).equals(identity(tgt))) {
                checks.add(Check.fail("target", ExitCode.BAD_SETTINGS, "source " + source.display() + " and target "
                        + target.display() + " are the same database: point the target at the new, empty database"));
                return new PreflightResult(List.copyOf(checks), null, null);
            }
            Introspector targetIn = new Introspector(tgt, options.filter());
            Inventory s = Inventory.read(new Introspector(src, options.filter()), options.apps().stream().map(AppLogin::user).distinct().toList());
            Inventory t = Inventory.read(targetIn);
            checks.add(Check.pass("source", source.display() + ": PostgreSQL " + s.version() + ", "
                    + Durations.bytes(s.databaseBytes()) + ", " + Plural.of(s.tables().size(), "table") + ", "
                    + Plural.of(s.largeObjects(), "large object")));
            checks.add(versions(s, t, target));
            checks.add(tools(s, t));
            checks.add(targetEmpty(targetIn, target, options.allowNonEmpty()));
            checks.add(extensions(s, targetIn, target));
            if (options.keepOwnership()) {
                checks.add(roles(tgt, s.roles(), targetIn));
                checks.add(RoleChecks.passwords(src, tgt, s.roles(), options.rolePasswords()));
            }
            checks.addAll(RoleChecks.appLogins(src, options.apps(), options.keepOwnership() ? s.roles() : List.of(), options.rolePasswords()));
            checks.addAll(new CopyRisks(src, tgt, options.filter()).checks(options.jobs(), options.keepOwnership()));
            checks.add(space(s));
            return new PreflightResult(List.copyOf(checks), s, t);
        } catch (DbException e) {
            checks.add(Check.fail("introspection", ExitCode.FAILED, e.getMessage()));
            return new PreflightResult(List.copyOf(checks), null, null);
        } finally {
            if (src != null) {
                src.close();
            }
            if (tgt != null) {
                tgt.close();
            }
        }
    }

    /** The same server (its start time to the microsecond) and database, whatever names reached it. */
    private static String identity(Db db) {
        return db.one("SELECT pg_postmaster_start_time()::text || ' ' || d.oid || ' ' || d.datname FROM pg_database d "
                + "WHERE d.datname = current_database()", rs -> rs.getString(1));
    }

    private Db connect(String side, ConnectionSpec spec) {
        try {
            Db db = Db.connect(spec);
            if (side.equals("source")) {
                db.execute("SET default_transaction_read_only = on");  // preflight never writes to the source
            }
            return db;
        } catch (DbConnectException e) {
            checks.add(Check.fail(side, e.exitCode(), side + ": " + e.getMessage()));
            return null;
        }
    }

    private Check versions(Inventory s, Inventory t, ConnectionSpec target) {
        if (t.version().major() < s.version().major()) {
            return Check.fail("versions", ExitCode.VERSION, "target " + target.display() + " runs PostgreSQL "
                    + t.version() + ", older than the source's " + s.version()
                    + ": use a target of major " + s.version().major() + " or newer");
        }
        return Check.pass("versions", "PostgreSQL " + s.version() + " → " + t.version());
    }

    private Check tools(Inventory s, Inventory t) {
        OptionalInt dump = options.tools().major(options.tools().pgDump());
        OptionalInt restore = options.tools().major(options.tools().pgRestore());
        if (dump.isEmpty() || restore.isEmpty()) {
            return Check.fail("tools", ExitCode.TOOLS, "pg_dump/pg_restore not found in " + options.tools()
                    + ": install postgresql-client-" + Math.max(s.version().major(), t.version().major()) + " or set --pg-bin");
        }
        if (dump.getAsInt() < s.version().major()) {
            return Check.fail("tools", ExitCode.TOOLS, "pg_dump " + dump.getAsInt() + " (" + options.tools()
                    + ") is older than the source's PostgreSQL " + s.version().major()
                    + ": install postgresql-client-" + s.version().major() + " or newer, or set --pg-bin");
        }
        if (restore.getAsInt() < dump.getAsInt()) {
            return Check.fail("tools", ExitCode.TOOLS, "pg_restore " + restore.getAsInt() + " cannot read dumps of pg_dump "
                    + dump.getAsInt() + ": use both from one installation (--pg-bin)");
        }
        String note = dump.getAsInt() > t.version().major()
                ? " (newer than the target: its output may use syntax PostgreSQL " + t.version().major() + " lacks)" : "";
        return Check.pass("tools", "pg_dump " + dump.getAsInt() + " from " + options.tools() + note);
    }

    /** The target holds no user objects, or {@code allowNonEmpty} says that is fine. */
    public static Check targetEmpty(Introspector target, ConnectionSpec spec, boolean allowNonEmpty) {
        List<String> objects = target.userObjects(6);
        if (objects.isEmpty()) {
            return Check.pass("target empty", spec.display() + " holds no user objects");
        }
        if (allowNonEmpty) {
            return Check.pass("target empty", "target holds objects (" + String.join(", ", objects)
                    + "), allowed by --allow-non-empty");
        }
        return Check.fail("target empty", ExitCode.TARGET_NOT_EMPTY, "target " + spec.display() + " is not empty (holds "
                + String.join(", ", objects.subList(0, Math.min(5, objects.size()))) + (objects.size() > 5 ? ", …" : "")
                + "): point it at an empty database, or pass --allow-non-empty");
    }

    private Check extensions(Inventory s, Introspector target, ConnectionSpec spec) {
        Map<String, ExtensionInfo> available = target.availableExtensions().stream()
                .collect(Collectors.toMap(ExtensionInfo::name, Function.identity()));
        List<String> missing = s.extensions().stream().map(ExtensionInfo::name)
                .filter(name -> !available.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            return Check.fail("extensions", ExitCode.MISSING_EXTENSION, "extension(s) " + String.join(", ", missing)
                    + " installed on the source are not available on target " + spec.display()
                    + ": use a target image that ships them, or leave them out with --exclude extension:NAME");
        }
        return Check.pass("extensions", s.extensions().isEmpty() ? "no extensions to carry over"
                : "available on the target: " + s.extensions().stream().map(e -> e.name() + " " + e.version())
                .collect(Collectors.joining(", ")));
    }

    private Check roles(Db tgt, List<RoleInfo> sourceRoles, Introspector target) {
        List<RoleInfo> missing = RoleCarrier.missingOn(tgt, sourceRoles);
        boolean canCreate = target.isSuperuser()
                || tgt.text("SELECT rolcreaterole::text FROM pg_roles WHERE rolname = current_user").equals("true");
        if (!missing.isEmpty() && !canCreate) {
            return Check.fail("roles", ExitCode.PRIVILEGES, "keeping ownership needs roles "
                    + missing.stream().map(RoleInfo::name).collect(Collectors.joining(", "))
                    + " on the target, and " + target.currentUser()
                    + " may not create roles: create them first, grant it CREATEROLE, or pass --no-keep-ownership");
        }
        return Check.pass("roles", missing.isEmpty() ? "all " + sourceRoles.size() + " roles the database needs exist on the target"
                : "will create " + missing.stream().map(RoleInfo::name).collect(Collectors.joining(", ")));
    }

    private Check space(Inventory s) {
        Path dir = options.workDir();
        try {
            if (Files.exists(dir)) {
                RunDirectory.checkParent(dir);
            }
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            long free = Files.getFileStore(existing == null ? Path.of(".") : existing).getUsableSpace();
            if (!options.dumpOnDisk()) {
                return Check.pass("dump space", Durations.bytes(free) + " free in " + dir + "; only the schema goes to disk (stream strategy)");
            }
            long needed = s.estimatedDumpBytes();
            if (free < needed) {
                return Check.fail("dump space", ExitCode.NO_SPACE, "work directory " + dir + " has "
                        + Durations.bytes(free) + " free, the dump needs up to " + Durations.bytes(needed)
                        + ": mount a larger volume or set --work-dir");
            }
            return Check.pass("dump space", Durations.bytes(free) + " free in " + dir + ", dump needs up to " + Durations.bytes(needed));
        } catch (EngineException e) {
            return Check.fail("work directory", e.exitCode(), e.getMessage());
        } catch (IOException e) {
            return Check.fail("dump space", ExitCode.NO_SPACE, "cannot inspect work directory " + dir + ": " + e.getMessage());
        }
    }
}
