package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
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
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * What logical replication does not carry, copied inside the window once the source is fenced
 * and drained: sequence positions (last_value and is_called, owned or not, identities included),
 * the large objects changed since the catch-up copied them, the rows of UNLOGGED tables, and
 * materialized views (refreshed on the target). Sequences cost one statement per side; the rest grows
 * with the data and is named with its size in the plan ({@link InWindowWork}).
 */
public final class CarryOver {
    /** What was carried. */
    public record Result(int sequences, int largeObjectsWritten, int largeObjectsRemoved, int unloggedTables,
                         long unloggedRows, int materializedViews, Duration took) {
    }

    private final Db source;
    private final Db target;
    private final ObjectFilter filter;
    private final LargeObjectSync largeObjects;
    private final Consumer<String> out;
    private final Clock clock;

    /** @param largeObjects what {@link LargeObjectSync#copyAll} copied during the catch-up: only changes since are written */
    public CarryOver(Db source, Db target, ObjectFilter filter, LargeObjectSync largeObjects, Consumer<String> out, Clock clock) {
        this.source = source;
        this.largeObjects = largeObjects;
        this.target = target;
        this.filter = filter;
        this.out = out;
        this.clock = clock;
    }

    public Result run() {
        Instant start = clock.instant();
        int sequences = sequences();
        LargeObjectSync.Result los = largeObjects.copyChanged(source, target);
        // only the unlogged tables: the catalog's list of every table with its size costs a stat() per table
        List<String> unlogged = source.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND c.relpersistence = 'u' AND %s AND %s ORDER BY 1
                """.formatted(filter.userSchemaPredicate("n.nspname"), Introspector.notExtensionMember("pg_class", "c.oid")), rs -> rs.getString(1));
        long rows = 0;
        boolean generatedColumns = !unlogged.isEmpty() && new Introspector(source, filter).version().major() >= 12;
        for (String table : unlogged) {
            rows += copyRows(table, generatedColumns);
        }
        int views = refreshMaterializedViews();
        Result r = new Result(sequences, los.written(), los.removed(), unlogged.size(), rows, views, Duration.between(start, clock.instant()));
        out.accept("carry: " + r.sequences() + " sequences, " + r.largeObjectsWritten() + " large objects changed since the catch-up written and "
                + r.largeObjectsRemoved() + " removed, " + r.unloggedRows() + " rows of " + r.unloggedTables()
                + " unlogged tables, " + r.materializedViews() + " materialized views refreshed");
        return r;
    }

    /**
     * setval with the source's last_value and is_called, so the next nextval on the target returns what it
     * would have on the source; all sequences in one statement per side, whatever their number.
     */
    private int sequences() {
        SortedMap<String, SequenceState> states = new SnapshotReader(source, filter, out).sequences();
        if (states.isEmpty()) {
            return 0;
        }
        List<String> missing = target.list("""
                SELECT s.name FROM unnest(?::text[], ?::bigint[], ?::boolean[]) AS s(name, value, called)
                  LEFT JOIN (pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND c.relkind = 'S')
                    ON n.nspname || '.' || c.relname = s.name
                 WHERE c.oid IS NULL OR setval(c.oid, s.value, s.called) IS NULL""",
                rs -> rs.getString(1), array("text", states.keySet().toArray()),
                array("bigint", states.values().stream().map(SequenceState::lastValue).toArray()),
                array("boolean", states.values().stream().map(SequenceState::isCalled).toArray()));
        if (!missing.isEmpty()) {
            throw new EngineException(ExitCode.COPY_FAILED, "carry: sequence " + String.join(", ", missing) + " is missing on the target");
        }
        return states.size();
    }

    private java.sql.Array array(String type, Object[] values) {
        try {
            return target.connection().createArrayOf(type, values);
        } catch (SQLException e) {
            throw new DbException(target.spec(), e);
        }
    }

    /** Replaces the target's rows of an unlogged table with the source's, COPY to COPY without a file in between. */
    private long copyRows(String table, boolean generatedColumns) {
        String columns = source.text("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped"
                + (generatedColumns ? " AND attgenerated = ''" : ""), table);
        target.execute("TRUNCATE " + table);
        try {
            CopyOut from = source.connection().unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY " + table + " (" + columns + ") TO STDOUT");
            CopyIn to = target.connection().unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
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
