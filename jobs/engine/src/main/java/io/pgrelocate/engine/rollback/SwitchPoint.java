package io.pgrelocate.engine.rollback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The target as the applications found it at the switch: per table the rows it had inserted,
 * updated and deleted so far ({@code pg_stat_user_tables}), so that a rollback without a reverse
 * stream can tell what the target took since. It lives in the target itself, as the database's
 * setting {@value #SETTING} (state in the servers: any machine that reaches the target reads it);
 * a session only sees it as a placeholder and nothing reads it but pgrelocate.
 *
 * @param changes per table ({@code schema.table}) n_tup_ins + n_tup_upd + n_tup_del at the switch
 */
public record SwitchPoint(Instant at, Map<String, Long> changes) {
    static final String SETTING = "pgrelocate.switch_point";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    /** The row changes each table of {@code db}'s database counted so far, as the statistics say now. */
    static Map<String, Long> changesNow(Db db) {
        db.execute("SELECT pg_stat_clear_snapshot()");
        Map<String, Long> now = new TreeMap<>();
        db.list("SELECT schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables",
                rs -> now.put(rs.getString(1), rs.getLong(2)));
        return now;
    }

    /** Records the switch point on {@code target} (also a fenced one); never fails the caller: a target without it is refused at rollback. */
    public static void record(Db target, Instant at, Consumer<String> out) {
        try {
            String value = JSON.writeValueAsString(new SwitchPoint(at, changesNow(target)));
            target.execute("SET default_transaction_read_only = off");
            target.execute("ALTER DATABASE " + Db.quoteIdent(target.text("SELECT current_database()")) + " SET " + SETTING + " = "
                    + ObjectFilter.literal(value));
            target.execute("RESET default_transaction_read_only");
        } catch (DbException | JsonProcessingException e) {
            out.accept("switch point: warning: could not record it on " + target.spec().display() + " (" + e.getMessage()
                    + "); a rollback without a reverse stream cannot tell what the target took since, and refuses");
        }
    }

    /** Records the switch point on a session of its own; never throws. */
    public static void record(ConnectionSpec target, Instant at, Consumer<String> out) {
        try (Db db = Db.connect(target)) {
            record(db, at, out);
        } catch (RuntimeException e) {
            out.accept("switch point: warning: could not record it on " + target.display() + " (" + e.getMessage()
                    + "); a rollback without a reverse stream cannot tell what the target took since, and refuses");
        }
    }

    /** The switch point recorded on {@code target}'s database, if any. */
    public static Optional<SwitchPoint> read(Db target) {
        return target.list("""
                SELECT substr(c, length(?) + 2) FROM pg_db_role_setting s, unnest(s.setconfig) c
                 WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND c LIKE ?""", rs -> rs.getString(1), SETTING, SETTING + "=%").stream().findFirst().map(SwitchPoint::parse);
    }

    /** Forgets the switch point (the rollback finished): a later rollback finds nothing to bring back. */
    public static void clear(Db target) {
        target.execute("SET default_transaction_read_only = off");
        target.execute("ALTER DATABASE " + Db.quoteIdent(target.text("SELECT current_database()")) + " RESET " + SETTING);
        target.execute("RESET default_transaction_read_only");
    }

    private static SwitchPoint parse(String json) {
        try {
            return JSON.readValue(json, SwitchPoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the switch point recorded in " + SETTING + " is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
