package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.switchover.FenceRecord;
import io.pgrelocate.engine.switchover.SourceFence;
import io.pgrelocate.engine.switchover.SourceMarker;

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
 * A MySQL/MariaDB source's fence: {@code SET GLOBAL read_only = ON}, and {@code super_read_only} where
 * the server has it (MySQL; MariaDB has not), then every other session of the source database's users
 * is killed and named. MySQL has no per-database read-only switch: the whole server refuses writes
 * while fenced. Without {@code super_read_only}, accounts with SUPER, READ_ONLY ADMIN or CONNECTION_ADMIN
 * can still write: the fence names them, and refuses, changing nothing, while one of them other than
 * the tool's own user is connected.
 * <p>
 * The record (the two settings as they were) lives on the source server, in {@code pgrelocate.fence},
 * written before the fence and deleted when it is lifted (the database too, once empty): any machine
 * that reaches the source can lift it ({@code pgrelocate rollback --source mysql://…}), also after the
 * process that raised it was killed. Raising it again keeps the first record.
 */
public final class MysqlFence implements SourceFence {
    private static final String RECORDS = "`pgrelocate`.`fence`";
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(15);
    /** Who may write through read_only when the server has no super_read_only. */
    private static final String WRITES_THROUGH = "('SUPER', 'READ_ONLY ADMIN', 'CONNECTION_ADMIN')";
    private static final String GRANTEE_USER = "SUBSTRING_INDEX(SUBSTRING(GRANTEE, 2), '''@''', 1)";

    private final MysqlSource source;
    private final Set<Long> keep;
    private final Consumer<String> out;
    private final Clock clock;
    private MysqlDb session;
    private Set<Long> spared = Set.of();
    private boolean strict;

    /** @param keep the ids of the tool's own sessions that must survive the fence */
    public MysqlFence(MysqlSource source, Set<Long> keep, Consumer<String> out, Clock clock) {
        this.source = source;
        this.keep = Set.copyOf(keep);
        this.out = out;
        this.clock = clock;
    }

    /** The record the fence keeps on the server. */
    record Before(String raisedAt, String raisedBy, String readOnly, String superReadOnly) {
        String summary(String database) {
            return "server of " + database + " fenced at " + raisedAt + " by " + raisedBy + ": read_only=ON"
                    + (superReadOnly == null ? " (no super_read_only on this server)" : ", super_read_only=ON")
                    + "; before: read_only=" + readOnly + (superReadOnly == null ? "" : ", super_read_only=" + superReadOnly);
        }
    }

    @Override
    public Optional<String> missingPrivilege() {
        try (MysqlDb db = MysqlDb.connect(source)) {
            List<String> mine = db.list("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = "
                    + "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')",
                    rs -> rs.getString(1));
            boolean setsReadOnly = mine.stream().anyMatch(p -> List.of("SUPER", "READ_ONLY ADMIN", "SYSTEM_VARIABLES_ADMIN").contains(p));
            boolean kills = mine.stream().anyMatch(p -> List.of("SUPER", "CONNECTION ADMIN", "CONNECTION_ADMIN").contains(p));
            boolean sees = mine.contains("PROCESS");
            if (setsReadOnly && kills && sees) {
                return Optional.empty();
            }
            return Optional.of("the source user " + source.connection().user() + " cannot fence " + source.display()
                    + ": it needs READ_ONLY ADMIN or SUPER (SET GLOBAL read_only), CONNECTION ADMIN or SUPER (KILL), PROCESS "
                    + "(see every session) and CREATE, INSERT, DELETE, DROP on pgrelocate.* (the fence's record); nothing was changed");
        }
    }

    @Override
    public List<String> plan() {
        try (MysqlDb db = MysqlDb.connect(source)) {
            boolean strict = hasSuperReadOnly(db);
            List<String> sessions = others(db, Set.of()).stream().map(Session::toString).toList();
            List<String> plan = new ArrayList<>(List.of("fence " + source.display() + ": SET GLOBAL read_only = ON"
                            + (strict ? ", super_read_only = ON" : "") + " (the whole server refuses writes, every database on it)",
                    "fence: kill " + (sessions.isEmpty() ? "no session (none is connected now)"
                            : "the " + sessions.size() + " session(s) connected now: " + String.join(", ", sessions))));
            if (!strict) {
                plan.add("fence: note: this server has no super_read_only, so accounts with SUPER, READ_ONLY ADMIN or CONNECTION_ADMIN "
                        + "can still write: " + String.join(", ", writersThrough(db)) + " (the fence refuses while one other than "
                        + source.connection().user() + " is connected)");
            }
            return plan;
        }
    }

    @Override
    public Raised raise() {
        session = MysqlDb.connect(source);
        Set<Long> ours = new HashSet<>(keep);
        ours.add(Long.parseLong(session.text("SELECT CONNECTION_ID()")));
        spared = Set.copyOf(ours);
        strict = hasSuperReadOnly(session);
        if (!strict) {
            refuseConnectedWriters(spared, false);
        }
        Before record = read(session).orElse(null);
        if (record != null) {
            out.accept("fence: " + source.display() + " is already fenced since " + record.raisedAt() + " (kept that record)");
        } else {
            record = new Before(clock.instant().toString(), session.text("SELECT CURRENT_USER()"),
                    session.text("SELECT IF(@@global.read_only, 'ON', 'OFF')"),
                    strict ? session.text("SELECT IF(@@global.super_read_only, 'ON', 'OFF')") : null);
            session.execute("CREATE DATABASE IF NOT EXISTS `pgrelocate`");
            session.execute("CREATE TABLE IF NOT EXISTS " + RECORDS + " (source_database VARCHAR(64) PRIMARY KEY, raised_at VARCHAR(40) NOT NULL, "
                    + "raised_by VARCHAR(300) NOT NULL, read_only_before VARCHAR(3) NOT NULL, super_read_only_before VARCHAR(3))");
            session.execute("INSERT INTO " + RECORDS + " VALUES (" + literal(database()) + ", " + literal(record.raisedAt()) + ", "
                    + literal(record.raisedBy()) + ", " + literal(record.readOnly()) + ", "
                    + (record.superReadOnly() == null ? "NULL" : literal(record.superReadOnly())) + ")");
        }
        Set<Long> named = new HashSet<>();
        // open transactions would hold SET GLOBAL read_only up: end them first, then once more whoever came in between
        kill(spared, named);
        session.execute("SET SESSION lock_wait_timeout = " + KILL_TIMEOUT.toSeconds());
        session.execute("SET GLOBAL read_only = ON");
        if (strict) {
            session.execute("SET GLOBAL super_read_only = ON");
        }
        kill(spared, named);
        String summary = record.summary(source.display());
        out.accept("fence: " + summary);
        if (!strict) {
            writersThrough(session).forEach(g -> out.accept("fence: note: " + g + " can still write through read_only (this server has no "
                    + "super_read_only); no session of it but this tool's was left open"));
        }
        return new Raised(summary, FenceRecord.ofMysql(database(), Instant.parse(record.raisedAt()), record.raisedBy(), summary));
    }

    /**
     * Without super_read_only: refuses when a session of another account that can write through read_only
     * is connected now. The tool's own user is not checked (its copy and verify sessions may still be
     * closing): the applications must not share it.
     */
    @Override
    public void confirm() {
        if (!strict) {
            refuseConnectedWriters(spared, true);
        }
    }

    @Override
    public String stillPossible() {
        return strict ? "still possible: nothing (super_read_only binds every account)"
                : "still possible: a session of an account with SUPER, READ_ONLY ADMIN or CONNECTION_ADMIN that came and went between "
                + "the fence and the last check before the cutover (this server has no super_read_only; verify finds its writes)";
    }

    @Override
    public String position() {
        try {
            List<String> status = session.list("SHOW MASTER STATUS", rs -> rs.getString(1) + ":" + rs.getString(2));
            return status.isEmpty() ? "its current state (no binary log)" : "binlog " + status.get(0);
        } catch (EngineException e) {
            return "its current state (binlog position unreadable: " + e.getMessage() + ")";
        }
    }

    /** MySQL sources keep no verified-copy marker (so their window always switches: {@link MysqlMigration}). */
    @Override
    public SourceMarker marker(ObjectFilter filter, Instant at) {
        return null;
    }

    @Override
    public Optional<String> lift() {
        if (session == null) {
            return Optional.empty(); // raise never reached the source: nothing to lift
        }
        return liftRecorded(source, out);
    }

    /** Lifts the fence recorded for {@code source}'s database, from any machine; empty when there is none. */
    public static Optional<String> liftRecorded(MysqlSource source, Consumer<String> out) {
        try (MysqlDb db = MysqlDb.connect(source)) {
            Optional<Before> found = read(db);
            found.ifPresent(r -> {
                boolean strict = hasSuperReadOnly(db);
                if (strict) {
                    db.execute("SET GLOBAL super_read_only = OFF"); // the record cannot be deleted under it
                }
                db.execute("DELETE FROM " + RECORDS + " WHERE source_database = " + literal(db.source().connection().database()));
                if (db.text("SELECT COUNT(*) FROM " + RECORDS).equals("0")) {
                    db.execute("DROP DATABASE `pgrelocate`");
                }
                db.execute("SET GLOBAL read_only = " + onOff(r.readOnly()));
                if (strict && r.superReadOnly() != null) {
                    db.execute("SET GLOBAL super_read_only = " + onOff(r.superReadOnly()));
                }
                out.accept("fence: lifted from " + source.display() + ": read_only back to " + r.readOnly()
                        + (strict && r.superReadOnly() != null ? ", super_read_only back to " + r.superReadOnly() : "")
                        + "; the source takes writes again");
            });
            return found.map(r -> r.summary(source.display()));
        }
    }

    /** The fence recorded for {@code source}'s database, for a dry run. */
    public static Optional<String> recorded(MysqlSource source) {
        try (MysqlDb db = MysqlDb.connect(source)) {
            return read(db).map(r -> r.summary(source.display()));
        }
    }

    @Override
    public String liftCommand() {
        return "pgrelocate rollback --source " + source.flavour().name().toLowerCase(java.util.Locale.ROOT) + "://" + source.connection().display();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    private String database() {
        return source.connection().database();
    }

    private static Optional<Before> read(MysqlDb db) {
        if (db.text("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'pgrelocate' AND TABLE_NAME = 'fence'").equals("0")) {
            return Optional.empty();
        }
        return db.list("SELECT raised_at, raised_by, read_only_before, super_read_only_before FROM " + RECORDS + " WHERE source_database = ?",
                rs -> new Before(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), db.source().connection().database())
                .stream().findFirst();
    }

    private static boolean hasSuperReadOnly(MysqlDb db) {
        return !db.list("SHOW GLOBAL VARIABLES LIKE 'super_read_only'", rs -> rs.getString(1)).isEmpty();
    }

    /** A string literal under the session's sql_mode '' (backslash escapes on). */
    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String onOff(String value) {
        return "ON".equalsIgnoreCase(value) ? "ON" : "OFF";
    }

    private static List<String> writersThrough(MysqlDb db) {
        return db.list("SELECT DISTINCT GRANTEE FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN " + WRITES_THROUGH
                + " ORDER BY 1", rs -> rs.getString(1));
    }

    /** Without super_read_only a connected SUPER/READ_ONLY ADMIN account could write through the fence: refuse before any change. */
    private void refuseConnectedWriters(Set<Long> spared, boolean atSwitch) {
        List<Session> writers = session.list("SELECT ID, USER, HOST, COALESCE(DB, ''), COMMAND FROM information_schema.PROCESSLIST "
                + "WHERE USER <> SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND USER IN (SELECT " + GRANTEE_USER
                + " FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE IN " + WRITES_THROUGH + ") ORDER BY ID", Session::of)
                .stream().filter(s -> !spared.contains(s.id())).toList();
        if (!writers.isEmpty()) {
            throw new EngineException(ExitCode.FENCE, "the fence would not hold: " + source.display() + " has no super_read_only, and "
                    + writers.stream().map(Session::toString).reduce((a, b) -> a + ", " + b).orElseThrow()
                    + " can write through read_only (SUPER/READ_ONLY ADMIN); end those sessions or revoke the privilege"
                    + (atSwitch ? "; the switch is refused and the fence lifted" : "; nothing was fenced"));
        }
    }

    /** One client session on the server. */
    private record Session(long id, String user, String host, String db, String command) {
        static Session of(java.sql.ResultSet rs) throws java.sql.SQLException {
            return new Session(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
        }

        @Override
        public String toString() {
            return id + " of " + user + " (from " + host + (db.isEmpty() ? "" : ", in " + db) + ", " + command + ")";
        }
    }

    /** The sessions of the source database's users (and any session in it), but {@code spared} and the server's own threads. */
    private List<Session> others(MysqlDb db, Set<Long> spared) {
        return db.list("SELECT ID, USER, HOST, COALESCE(DB, ''), COMMAND FROM information_schema.PROCESSLIST "
                + "WHERE ID <> CONNECTION_ID() AND COMMAND NOT IN ('Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Killed') "
                + "AND USER NOT IN ('system user', 'event_scheduler') AND (DB = ? OR USER IN ("
                + "SELECT " + GRANTEE_USER + " FROM information_schema.SCHEMA_PRIVILEGES WHERE TABLE_SCHEMA = ? "
                + "UNION SELECT " + GRANTEE_USER + " FROM information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = ? "
                + "UNION SELECT " + GRANTEE_USER + " FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE <> 'USAGE')) ORDER BY ID",
                Session::of, database(), database(), database()).stream().filter(s -> !spared.contains(s.id())).toList();
    }

    /** Kills every other session, each named once, and waits until they are gone. */
    private void kill(Set<Long> spared, Set<Long> named) {
        Instant deadline = clock.instant().plus(KILL_TIMEOUT);
        Set<Long> killed = new HashSet<>();
        for (Session s : others(session, spared)) {
            try {
                session.execute("KILL CONNECTION " + s.id());
            } catch (EngineException gone) {
                continue; // it ended on its own meanwhile
            }
            killed.add(s.id());
            if (named.add(s.id())) {
                out.accept("fence: killed session " + s);
            }
        }
        while (!killed.isEmpty()) {
            List<Long> left = session.list("SELECT ID FROM information_schema.PROCESSLIST", rs -> rs.getLong(1)).stream()
                    .filter(killed::contains).toList();
            if (left.isEmpty()) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new EngineException(ExitCode.FENCE, "session(s) " + left + " are still there " + KILL_TIMEOUT.toSeconds()
                        + "s after KILL; the fence does not hold");
            }
            Interruption.checkpoint("fence");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(ExitCode.INTERRUPTED, "interrupted while fencing the source");
            }
        }
    }
}
