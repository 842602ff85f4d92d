package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What must hold before anything is written: both servers reachable and the logins accepted, every
 * source table readable, every type mapped, and the target free of the objects the copy creates
 * (unless they are to be dropped). Each failure names its fix.
 */
public final class MysqlPreflight {
    private MysqlPreflight() {
    }

    /** The source session, or a failed check. */
    public static Check connectSource(MysqlSource source, List<MysqlDb> opened) {
        try {
            MysqlDb db = MysqlDb.connect(source);
            opened.add(db);
            return Check.pass("source login", source.display() + " (" + db.version() + ")");
        } catch (EngineException e) {
            return Check.fail("source login", e.exitCode(), e.getMessage());
        }
    }

    public static Check connectTarget(ConnectionSpec target, List<Db> opened) {
        try {
            Db db = Db.connect(target);
            opened.add(db);
            return Check.pass("target login", target.display() + " (PostgreSQL " + db.text("SHOW server_version") + ")");
        } catch (DbConnectException e) {
            return Check.fail("target login", e.exitCode(), e.getMessage());
        }
    }

    public static Check readable(MysqlDb db, List<String> tables) {
        List<String> refused = new ArrayList<>();
        for (String t : tables) {
            try {
                // SELECT *: a grant on some columns only hides the others from information_schema as well.
                db.execute("SELECT * FROM " + MysqlDb.quote(t) + " LIMIT 0");
            } catch (EngineException e) {
                refused.add(t);
            }
        }
        String user = db.source().connection().user();
        return refused.isEmpty() ? Check.pass("read privileges", tables.size() + " tables readable")
                : Check.fail("read privileges", ExitCode.PRIVILEGES, user + " cannot read " + refused + ": GRANT SELECT ON "
                + db.source().connection().database() + ".* TO '" + user + "'");
    }

    /**
     * The tables and types a run would create must be absent, be dropped by --clean, or be an unfinished
     * copy's (marked, see {@link UnfinishedCopy}), which the run drops as well.
     */
    public static Check targetFree(Db target, String schema, List<String> qualifiedTables, List<String> qualifiedTypes, boolean clean) {
        List<String> present = new ArrayList<>();
        for (String t : qualifiedTables) {
            if (target.text("SELECT to_regclass(?)::text", t) != null) {
                present.add(t);
            }
        }
        for (String t : qualifiedTypes) {
            if (target.text("SELECT to_regtype(?)::text", t) != null) {
                present.add("type " + t);
            }
        }
        if (present.isEmpty()) {
            return Check.pass("target objects", "none of the " + qualifiedTables.size() + " tables exist in " + schema);
        }
        if (UnfinishedCopy.leftBehind(target, qualifiedTables, qualifiedTypes)) {
            return Check.pass("target objects", present.size() + " objects are an unfinished copy's (killed or failed): dropped and copied again");
        }
        return clean ? Check.pass("target objects", present.size() + " objects exist and will be dropped (--clean): " + present)
                : Check.fail("target objects", ExitCode.TARGET_NOT_EMPTY, target.spec().display() + " already holds " + present
                + ": drop them, choose another schema, or pass --clean to drop and recreate exactly these");
    }

    /** CREATE on the database (for a new schema) or on the existing schema. */
    public static Check mayCreate(Db target, String schema) {
        boolean exists = "true".equals(target.text("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)::text", schema));
        boolean may = exists ? "true".equals(target.text("SELECT has_schema_privilege(?, 'CREATE')::text", schema))
                : "true".equals(target.text("SELECT has_database_privilege(current_database(), 'CREATE')::text"));
        String user = target.spec().user();
        return may ? Check.pass("target privileges", user + " may create in " + schema)
                : Check.fail("target privileges", ExitCode.PRIVILEGES, user + " may not create " + (exists ? "in schema " + schema
                : "schema " + schema) + ": GRANT CREATE ON " + (exists ? "SCHEMA " + schema : "DATABASE " + target.spec().database())
                + " TO " + user);
    }

}
