package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.verify.SequenceState;
import io.pgrelocate.engine.verify.SnapshotReader;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * What logical replication does not carry, copied inside the window once the source is fenced
 * and drained: sequence positions (last_value and is_called, owned or not, identities included),
 * large objects, the rows of UNLOGGED tables, and materialized views (refreshed on the target).
 */
public final class CarryOver {
    /** What was carried. */
    public record Result(int sequences, int largeObjectsWritten, int largeObjectsRemoved, int unloggedTables,
                         long unloggedRows, int materializedViews, Duration took) {
    }

    private final Db source;
    private final Db target;
    private final ObjectFilter filter;
    private final Consumer<String> out;
    private final Clock clock;

    public CarryOver(Db source, Db target, ObjectFilter filter, Consumer<String> out, Clock clock) {
        this.source = source;
        this.target = target;
        this.filter = filter;
        this.out = out;
        this.clock = clock;
    }

    public Result run() {
        Instant start = clock.instant();
        int sequences = sequences();
        int[] los = largeObjects();
        List<TableInfo> tables = new Introspector(source, filter).tables();
        List<TableInfo> unlogged = tables.stream().filter(t -> t.unlogged() && !t.materializedView()).toList();
        long rows = 0;
        for (TableInfo t : unlogged) {
            rows += copyRows(t);
        }
        int views = refreshMaterializedViews();
        Result r = new Result(sequences, los[0], los[1], unlogged.size(), rows, views, Duration.between(start, clock.instant()));
        out.accept("carry: " + r.sequences() + " sequences, " + r.largeObjectsWritten() + " large objects written and "
                + r.largeObjectsRemoved() + " removed, " + r.unloggedRows() + " rows of " + r.unloggedTables()
                + " unlogged tables, " + r.materializedViews() + " materialized views refreshed");
        return r;
    }

    /** setval with the source's last_value and is_called, so the next nextval on the target returns what it would have on the source. */
    private int sequences() {
        SortedMap<String, SequenceState> states = new SnapshotReader(source, filter, out).sequences();
        for (Map.Entry<String, SequenceState> e : states.entrySet()) {
            List<Long> set = target.list("""
                    SELECT setval(c.oid, ?, ?) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind = 'S' AND n.nspname || '.' || c.relname = ?""",
                    rs -> rs.getLong(1), e.getValue().lastValue(), e.getValue().isCalled(), e.getKey());
            if (set.isEmpty()) {
                throw new EngineException(ExitCode.COPY_FAILED, "carry: sequence " + e.getKey() + " is missing on the target");
            }
        }
        return states.size();
    }

    /**
     * Makes the target's large objects those of the source: writes each one whose content
     * differs or is missing, removes those the source no longer has. Returns {written, removed}.
     */
    private int[] largeObjects() {
        String digests = "SELECT oid::bigint, md5(lo_get(oid)) FROM pg_largeobject_metadata ORDER BY 1";
        Map<Long, String> src = new HashMap<>();
        source.list(digests, rs -> src.put(rs.getLong(1), rs.getString(2)));
        Map<Long, String> tgt = new HashMap<>();
        target.list(digests, rs -> tgt.put(rs.getLong(1), rs.getString(2)));
        int written = 0;
        for (Map.Entry<Long, String> e : src.entrySet()) {
            if (!e.getValue().equals(tgt.get(e.getKey()))) {
                byte[] data = source.one("SELECT lo_get(?::oid)", rs -> rs.getBytes(1), e.getKey());
                if (tgt.containsKey(e.getKey())) {
                    target.one("SELECT lo_unlink(?::oid)", rs -> rs.getInt(1), e.getKey());
                }
                target.one("SELECT lo_from_bytea(?::oid, ?)", rs -> rs.getLong(1), e.getKey(), data);
                written++;
            }
        }
        int removed = 0;
        for (Long oid : tgt.keySet()) {
            if (!src.containsKey(oid)) {
                target.one("SELECT lo_unlink(?::oid)", rs -> rs.getInt(1), oid);
                removed++;
            }
        }
        return new int[] {written, removed};
    }

    /** Replaces the target's rows of an unlogged table with the source's, COPY to COPY without a file in between. */
    private long copyRows(TableInfo t) {
        String columns = source.text("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped"
                + (new Introspector(source, filter).version().major() >= 12 ? " AND attgenerated = ''" : ""), t.sqlName());
        target.execute("TRUNCATE " + t.sqlName());
        try {
            CopyOut from = source.connection().unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY " + t.sqlName() + " (" + columns + ") TO STDOUT");
            CopyIn to = target.connection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + t.sqlName() + " (" + columns + ") FROM STDIN");
            try {
                byte[] chunk;
                while ((chunk = from.readFromCopy()) != null) {
                    to.writeToCopy(chunk, 0, chunk.length);
                }
                return to.endCopy();
            } finally {
                if (to.isActive()) {
                    to.cancelCopy();
                }
                if (from.isActive()) {
                    from.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new DbException(target.spec(), e);
        }
    }

    /** REFRESH on the target of every view populated on the source, oldest first, so views on views see fresh data. */
    private int refreshMaterializedViews() {
        List<String> views = source.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'm' AND c.relispopulated AND %s ORDER BY c.oid""".formatted(filter.userSchemaPredicate("n.nspname")),
                rs -> rs.getString(1));
        views.forEach(v -> target.execute("REFRESH MATERIALIZED VIEW " + v));
        return views.size();
    }
}
