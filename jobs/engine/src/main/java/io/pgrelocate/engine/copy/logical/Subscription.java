package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.List;
import java.util.Optional;

/**
 * The target's subscription to the source's publication, on the slot made beforehand.
 * <p>
 * Its CONNECTION holds the source password: PostgreSQL keeps it in pg_subscription.subconninfo,
 * readable by the target's superusers only, and teardown drops the subscription — unless a passfile
 * on the target's host holds it ({@link LogicalOptions#publisherPassfile()}): then the catalog holds only its path. The statement
 * that carries it is kept out of the target's log (log_statement, log_min_error_statement) where
 * this user may set those, and never reaches ours: errors are reported without the statement.
 */
final class Subscription {
    private static final List<String> QUIET = List.of("SET log_statement = 'none'", "SET log_min_duration_statement = -1",
            "SET log_min_error_statement = 'panic'", "SET standard_conforming_strings = on");

    private Subscription() {
    }

    static void create(Db target, LogicalNames names, ConnectionSpec publisher, String passfile, boolean copyData) {
        QUIET.forEach(setting -> quietly(target, setting));
        String sql = "CREATE SUBSCRIPTION " + Db.quoteIdent(names.subscription())
                + " CONNECTION " + literal(conninfo(publisher, passfile, names))
                + " PUBLICATION " + Db.quoteIdent(names.publication())
                + " WITH (create_slot = false, slot_name = " + literal(names.slot()) + ", copy_data = " + copyData
                + ", enabled = true)";
        try {
            target.execute(sql);
            target.execute("COMMENT ON SUBSCRIPTION " + Db.quoteIdent(names.subscription()) + " IS " + literal(names.record()));
        } catch (DbException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "cannot create subscription " + names.subscription() + ": "
                    + e.getMessage(), e);
        } finally {
            quietly(target, "RESET ALL");
        }
    }

    /** Runs a SET that this user may not be allowed, or that a broken session cannot take: the server's settings apply then. */
    private static void quietly(Db target, String sql) {
        try {
            target.execute(sql);
        } catch (DbException e) {
            // nothing to undo
        }
    }

    /** The subscription's oid in the current database, if it exists. */
    static Optional<Long> oid(Db target, String name) {
        return target.list("SELECT oid::bigint FROM pg_subscription WHERE subname = ?"
                + " AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
                rs -> rs.getLong(1), name).stream().findFirst();
    }

    /**
     * Disable, detach from the slot, drop: DROP SUBSCRIPTION alone would need the source to drop the
     * slot, and fails when the source is gone; the slot is dropped on the source separately.
     */
    static boolean drop(Db target, String name) {
        if (oid(target, name).isEmpty()) {
            return false;
        }
        String sub = Db.quoteIdent(name);
        target.execute("ALTER SUBSCRIPTION " + sub + " DISABLE");
        target.execute("ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)");
        target.execute("DROP SUBSCRIPTION " + sub);
        return true;
    }

    /** Tables whose initial copy (copy_data) has not finished: state neither ready nor synchronized. */
    static long tablesSyncing(Db target, String name) {
        return target.longValue("""
                SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
                 WHERE s.subname = ? AND r.srsubstate NOT IN ('r', 's')""", name);
    }

    /**
     * libpq conninfo for the target server to reach the publisher; sslrootcert and {@code passfile} are
     * paths on the target's host; with a passfile the password stays out of it.
     */
    static String conninfo(ConnectionSpec publisher, String passfile, LogicalNames names) {
        StringBuilder b = new StringBuilder();
        pair(b, "host", publisher.host());
        pair(b, "port", Integer.toString(publisher.port()));
        pair(b, "dbname", publisher.database());
        pair(b, "user", publisher.user());
        if (passfile != null) {
            pair(b, "passfile", passfile);
        } else if (publisher.password() != null) {
            pair(b, "password", publisher.password().reveal());
        }
        pair(b, "sslmode", publisher.sslMode().libpqName());
        if (publisher.sslRootCert() != null) {
            pair(b, "sslrootcert", publisher.sslRootCert().toString());
        }
        pair(b, "application_name", names.subscription());
        return b.toString().trim();
    }

    private static void pair(StringBuilder b, String key, String value) {
        b.append(key).append("='").append(value.replace("\\", "\\\\").replace("'", "\\'")).append("' ");
    }

    /** The migration each pgrelocate subscription of {@code target}'s database was made for, from its record. */
    static List<String> recorded(Db target) {
        return target.list("""
                SELECT substr(obj_description(oid, 'pg_subscription'), ?) FROM pg_subscription
                 WHERE subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND obj_description(oid, 'pg_subscription') LIKE ? ORDER BY 1""",
                rs -> rs.getString(1), LogicalNames.RECORD.length() + 1, LogicalNames.RECORD + "%");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
