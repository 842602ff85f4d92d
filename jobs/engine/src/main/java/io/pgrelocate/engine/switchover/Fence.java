package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Makes the source database refuse writes from everyone, in plain SQL, and lifts that again.
 * <p>
 * {@code default_transaction_read_only} alone is no fence (any session can {@code SET} it off), so
 * the fence also revokes CONNECT from PUBLIC and from every role granted it (the tool's own role
 * keeps or gets CONNECT: pg_dump -j and the verifier open new sessions in the window), and then
 * terminates every other client session on the database — each named in the log — until none is
 * left. Replication walsenders and background workers are not client sessions and stay.
 * <p>
 * Superusers are not bound by CONNECT; they only start read-only. {@code ALLOW_CONNECTIONS false}
 * would bind them too, but also the tool's own new sessions and a later rollback's, so the fence
 * names each superuser that can log in instead, and the standalone cutover's check would see their writes.
 * <p>
 * The record of what was changed lives in the source itself, in the database's comment (a shared
 * catalog, not dumped without {@code --create}, readable by whoever can connect): any machine that
 * reaches the source can lift the fence, also after the process that raised it was killed.
 */
public final class Fence {
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(15);
    /** How long a transaction prepared in the race with the fence may take to be committed or rolled back. */
    static final Duration PREPARED_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;
    /** A terminated backend is gone within milliseconds: looking again sooner keeps the write window short. */
    private static final long TERMINATED_POLL_MILLIS = 10;

    private final Consumer<String> out;
    private final Clock clock;
    private FenceWatch watch;

    public Fence(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** The fence raised on {@code db}'s database, if any. */
    public static Optional<FenceRecord> read(Db db) {
        return FenceRecord.fromComment(db.text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"));
    }

    /**
     * Why the tool's role cannot raise the fence, if it cannot; checked before anything changes.
     * Fencing needs the database's owner (revoke CONNECT, ALTER DATABASE) and pg_signal_backend
     * (terminate other roles' sessions), or a superuser.
     */
    public static Optional<String> missingPrivilege(Db db) {
        return db.one("""
                SELECT r.rolsuper, d.datdba = r.oid, pg_has_role(r.oid, 'pg_signal_backend', 'MEMBER'), pg_get_userbyid(d.datdba)
                  FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()
                """, rs -> {
            if (rs.getBoolean(1) || rs.getBoolean(2) && rs.getBoolean(3)) {
                return Optional.<String>empty();
            }
            return Optional.of("the source role " + db.spec().user() + " cannot fence the source database " + db.spec().database()
                    + (rs.getBoolean(2) ? "" : " (it is owned by " + rs.getString(4) + ")")
                    + ": connect as a superuser, or as the owner with GRANT pg_signal_backend TO " + db.spec().user() + "; nothing was changed");
        });
    }

    /** What raising the fence would do now, for a dry run. Reads only. */
    public static List<String> plan(Db db) {
        List<String> grantees = db.list("""
                SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
                  FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                 WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT' AND a.grantee <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
                 ORDER BY 1
                """, rs -> rs.getString(1));
        List<String> sessions = db.list("""
                SELECT pid || ' of ' || usename || ' (' || application_name || ')' FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid
                """, rs -> rs.getString(1));
        return List.of("fence " + db.spec().database() + ": ALTER DATABASE … SET default_transaction_read_only = on, revoke CONNECT from "
                        + (grantees.isEmpty() ? "nobody" : String.join(", ", grantees)),
                "fence: terminate " + (sessions.isEmpty() ? "no session (none is connected now)" : "the " + sessions.size()
                        + " session(s) connected now: " + String.join(", ", sessions)));
    }

    /**
     * Raises the fence over {@code session}'s database and empties it of every other client
     * session except {@code keep} (pids the tool holds). Raising it again (after a killed run) keeps
     * the first record, which is the one that knows the grants as they were.
     */
    public FenceRecord raise(Db session, Set<Integer> keep) {
        refusePreparedTransactions(session);
        FenceRecord record = read(session).orElse(null);
        if (record != null) {
            out.accept("fence: " + record.database() + " is already fenced since " + record.raisedAt() + " (kept that record)");
        } else {
            record = inTransaction(session, "raise the fence", () -> apply(session));
            out.accept("fence: " + record.summary());
        }
        stillConnectable(session).forEach(r -> out.accept("fence: note: superuser " + r
                + " is not bound by CONNECT; its new sessions start read-only, but it can override that"));
        terminateOthers(session, keep);
        // the last session is gone: a transaction it prepared in the race with the fence can still commit
        awaitPreparedResolved(session);
        List<String> open = session.list("""
                SELECT r.rolname FROM pg_roles r WHERE r.rolcanlogin AND NOT r.rolsuper AND r.rolname <> current_user
                   AND has_database_privilege(r.oid, current_database(), 'CONNECT') ORDER BY 1
                """, rs -> rs.getString(1));
        if (!open.isEmpty()) {
            throw new EngineException(ExitCode.FENCE, "the fence does not hold: role(s) " + String.join(", ", open)
                    + " can still connect to " + record.database() + " (CONNECT granted by another grantor?); "
                    + "revoke it by hand or run as the database owner or a superuser");
        }
        watch = FenceWatch.start(session.spec(), out);
        return record;
    }

    /**
     * Right before the switch: refuses (FENCE) when a write could have reached the fenced source
     * through a door CONNECT does not close (a superuser's session, one of the tool's own role that
     * is not the tool's: applications sharing it; a prepared transaction), naming each. Ends the watch.
     */
    public void confirm(Db session) {
        List<String> doors = new ArrayList<>();
        if (watch != null) {
            watch.close();
            doors.addAll(watch.intruders());
            watch = null;
        }
        FenceWatch.sweep(session).stream().filter(s -> !doors.contains(s)).forEach(doors::add);
        prepared(session).forEach(p -> doors.add("prepared transaction " + p));
        if (!doors.isEmpty()) {
            throw new EngineException(ExitCode.FENCE, "the fence was passed since it was raised: " + String.join("; ", doors)
                    + "; such a session can write to the source (a superuser overrides read-only; CONNECT does not bind the tool's own"
                    + " role, which the applications must not share: give pgrelocate a role of its own), so the switch is refused and the"
                    + " fence lifted; keep them away and run again");
        }
    }

    /** One line for the report: what the fence cannot stop, stated rather than hidden. */
    public static String stillPossible() {
        return "still possible: a session of a superuser or of the tool's own role shorter than the fence watch's "
                + FenceWatch.POLL.toMillis() + " ms, or one after the last check before the cutover (verify finds its writes)";
    }

    /** Lifts the fence over {@code session}'s database exactly as it was recorded; empty when there was none. */
    public Optional<FenceRecord> lift(Db session) {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        Optional<FenceRecord> found = read(session);
        found.ifPresent(r -> {
            inTransaction(session, "lift the fence", () -> {
                String db = Db.quoteIdent(r.database());
                for (FenceRecord.Grant g : r.revoked()) {
                    session.execute("GRANT CONNECT ON DATABASE " + db + " TO " + g.sqlGrantee() + (g.grantable() ? " WITH GRANT OPTION" : ""));
                }
                if (r.toolGrant() != null) {
                    session.execute("REVOKE CONNECT ON DATABASE " + db + " FROM " + Db.quoteIdent(r.toolGrant()));
                }
                session.execute(r.readOnlyBefore() == null ? "ALTER DATABASE " + db + " RESET default_transaction_read_only"
                        : "ALTER DATABASE " + db + " SET default_transaction_read_only = " + literal(r.readOnlyBefore()));
                session.execute("COMMENT ON DATABASE " + db + " IS " + (r.commentBefore() == null ? "NULL" : literal(r.commentBefore())));
                return r;
            });
            out.accept("fence: lifted from " + r.database() + ": CONNECT granted back to "
                    + (r.revoked().isEmpty() ? "nobody" : r.revoked().stream().map(FenceRecord.Grant::toString).reduce((a, b) -> a + ", " + b).orElseThrow())
                    + ", default_transaction_read_only " + (r.readOnlyBefore() == null ? "reset" : "back to " + r.readOnlyBefore())
                    + "; the source takes writes again");
        });
        return found;
    }

    private FenceRecord apply(Db s) {
        String database = s.text("SELECT current_database()");
        String db = Db.quoteIdent(database);
        String me = s.text("SELECT current_user");
        boolean superuser = s.one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", rs -> rs.getBoolean(1));
        String commentBefore = s.text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()");
        List<String> setting = s.list("""
                SELECT substr(c, length('default_transaction_read_only=') + 1)
                  FROM pg_database d JOIN pg_db_role_setting rs ON rs.setdatabase = d.oid AND rs.setrole = 0, unnest(rs.setconfig) c
                 WHERE d.datname = current_database() AND c LIKE 'default_transaction_read_only=%'
                """, rs -> rs.getString(1));
        List<FenceRecord.Grant> grants = s.list("""
                SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.is_grantable
                  FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                 WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT' ORDER BY 1
                """, rs -> new FenceRecord.Grant(rs.getString(1), rs.getBoolean(2)));
        List<FenceRecord.Grant> revoked = grants.stream().filter(g -> !g.grantee().equals(me)).toList();
        boolean toolHasOwn = grants.stream().anyMatch(g -> g.grantee().equals(me));
        String toolGrant = superuser || toolHasOwn ? null : me;
        if (toolGrant != null) {
            s.execute("GRANT CONNECT ON DATABASE " + db + " TO " + Db.quoteIdent(me));
        }
        for (FenceRecord.Grant g : revoked) {
            s.execute("REVOKE CONNECT ON DATABASE " + db + " FROM " + g.sqlGrantee() + " CASCADE");
        }
        s.execute("ALTER DATABASE " + db + " SET default_transaction_read_only = on");
        FenceRecord record = new FenceRecord(database, clock.instant(), me, revoked, toolGrant,
                setting.isEmpty() ? null : setting.get(0), commentBefore);
        s.execute("COMMENT ON DATABASE " + db + " IS " + literal(record.toComment()));
        return record;
    }

    private static List<String> stillConnectable(Db s) {
        return s.list("SELECT rolname FROM pg_roles WHERE rolsuper AND rolcanlogin AND rolname <> current_user ORDER BY 1", rs -> rs.getString(1));
    }

    /** Terminates every other client session until none is left; each one is named once. */
    private void terminateOthers(Db s, Set<Integer> keep) {
        Instant deadline = clock.instant().plus(TERMINATE_TIMEOUT);
        Set<Integer> named = new HashSet<>();
        Integer[] spared = keep.toArray(Integer[]::new);
        while (true) {
            List<String> left = new ArrayList<>();
            s.list("""
                    SELECT pid, usename, application_name, coalesce(host(client_addr), 'local socket'), state, pg_terminate_backend(pid)
                      FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                       AND NOT (pid = ANY (?))
                    """, rs -> {
                int pid = rs.getInt(1);
                left.add(Integer.toString(pid));
                if (named.add(pid)) {
                    out.accept("fence: terminated session " + pid + " of " + rs.getString(2) + " (application '" + rs.getString(3)
                            + "', from " + rs.getString(4) + ", " + rs.getString(5) + ")");
                }
                return pid;
            }, (Object) sqlArray(s, spared));
            if (left.isEmpty()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new EngineException(ExitCode.FENCE, "session(s) " + String.join(", ", left) + " are still connected after "
                        + TERMINATE_TIMEOUT.toSeconds() + "s of pg_terminate_backend; the fence does not hold");
            }
            Interruption.checkpoint("fence");
            pause(TERMINATED_POLL_MILLIS);
        }
    }

    /** Waits up to {@link #PREPARED_WAIT} for the database's prepared transactions to be resolved, then refuses naming them. */
    private void awaitPreparedResolved(Db s) {
        Instant deadline = clock.instant().plus(PREPARED_WAIT);
        List<String> prepared = prepared(s);
        if (!prepared.isEmpty()) {
            out.accept("fence: waiting up to " + PREPARED_WAIT.toSeconds() + "s for prepared transaction(s) " + String.join(", ", prepared)
                    + " to be committed or rolled back");
        }
        while (!prepared.isEmpty()) {
            if (clock.instant().isAfter(deadline)) {
                throw new EngineException(ExitCode.FENCE, "prepared transaction(s) " + String.join(", ", prepared) + " were prepared as the"
                        + " fence rose and can still commit writes on the source (COMMIT PREPARED ignores read-only): the switch is refused"
                        + " and the fence lifted; COMMIT PREPARED or ROLLBACK PREPARED them, then run again");
            }
            Interruption.checkpoint("fence");
            pause();
            prepared = prepared(s);
        }
    }

    /** The database's prepared transactions: gid, owner, age. */
    private static List<String> prepared(Db s) {
        return s.list("""
                SELECT quote_literal(gid) || ' of ' || owner || ' (prepared ' || date_trunc('second', now() - prepared) || ' ago)'
                  FROM pg_prepared_xacts WHERE database = current_database() ORDER BY prepared
                """, rs -> rs.getString(1));
    }

    private void refusePreparedTransactions(Db s) {
        List<String> prepared = prepared(s);
        if (!prepared.isEmpty()) {
            throw new EngineException(ExitCode.FENCE, "prepared transaction(s) " + String.join(", ", prepared)
                    + " can still commit writes on the source: COMMIT PREPARED or ROLLBACK PREPARED them first; nothing was fenced");
        }
    }

    private static java.sql.Array sqlArray(Db s, Integer[] pids) {
        try {
            return s.connection().createArrayOf("int4", pids);
        } catch (SQLException e) {
            throw new DbException(s.spec(), e);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static void pause() {
        pause(POLL_MILLIS);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.INTERRUPTED, "interrupted while fencing the source");
        }
    }

    private interface Work<T> {
        T run();
    }

    /** Grants, settings and the record change together or not at all. */
    private static <T> T inTransaction(Db s, String what, Work<T> work) {
        Connection c = s.connection();
        try {
            c.setAutoCommit(false);
            try {
                s.execute("SET TRANSACTION READ WRITE"); // a session opened after the fence starts read-only
                T result = work.run();
                c.commit();
                return result;
            } catch (RuntimeException e) {
                c.rollback();
                throw e instanceof EngineException ? e : new EngineException(ExitCode.FENCE, "cannot " + what + ": " + e.getMessage()
                        + " (the tool's source role must own the database or be a superuser)", e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new EngineException(ExitCode.FENCE, "cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
