package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The verified-copy marker: how the source looked when its copy was verified, cheap to compare
 * later — per table the cumulative inserts/updates/deletes of {@code pg_stat_user_tables}, per
 * sequence its last value. A later cutover compares and refuses when anything moved. The counters
 * are flushed when a transaction ends, at most about a second late (ten for an idle session that stays connected).
 */
public record SourceMarker(Instant at, List<String> excludedSchemas, Map<String, String> tables, Map<String, String> sequences) {
    public SourceMarker {
        excludedSchemas = excludedSchemas == null ? List.of() : List.copyOf(excludedSchemas);
        tables = new TreeMap<>(tables);
        sequences = new TreeMap<>(sequences);
    }

    /**
     * Compares the source as it is now with this marker; refuses with {@link ExitCode#SOURCE_CHANGED},
     * naming every table and sequence that moved, when anything did.
     */
    public void requireUnchanged(Db source, Instant now) {
        List<String> changes = changesTo(take(source, new ObjectFilter(new java.util.HashSet<>(excludedSchemas), java.util.Set.of()), now));
        if (!changes.isEmpty()) {
            throw new EngineException(ExitCode.SOURCE_CHANGED, "the source changed after the copy was verified at " + at + ": "
                    + String.join("; ", changes) + ". Those writes are not on the target, so nothing was cut over. Re-sync: empty the "
                    + "target and run the migration again with PGRELOCATE_CUTOVER_HOSTS (pgrelocate migrate --switchover locally), "
                    + "which fences the source and cuts over in one window");
        }
    }

    public static SourceMarker take(Db db, ObjectFilter filter, Instant at) {
        Map<String, String> tables = new TreeMap<>();
        db.list("SELECT schemaname || '.' || relname, n_tup_ins || ' inserts/' || n_tup_upd || ' updates/' || n_tup_del || ' deletes'"
                + " FROM pg_stat_user_tables WHERE " + filter.userSchemaPredicate("schemaname"), rs -> tables.put(rs.getString(1), rs.getString(2)));
        Map<String, String> sequences = new TreeMap<>();
        db.list("SELECT schemaname || '.' || sequencename, coalesce(last_value::text, 'unset') FROM pg_sequences WHERE "
                + filter.userSchemaPredicate("schemaname"), rs -> sequences.put(rs.getString(1), rs.getString(2)));
        return new SourceMarker(at, filter.excludedSchemas().stream().sorted().toList(), tables, sequences);
    }

    /** What differs between this marker and {@code now}, one line per table or sequence; empty when nothing moved. */
    public List<String> changesTo(SourceMarker now) {
        List<String> changes = new ArrayList<>();
        compare("table", tables, now.tables, changes);
        compare("sequence", sequences, now.sequences, changes);
        return changes;
    }

    private static void compare(String kind, Map<String, String> then, Map<String, String> now, List<String> changes) {
        TreeSet<String> names = new TreeSet<>(then.keySet());
        names.addAll(now.keySet());
        for (String name : names) {
            String a = then.get(name);
            String b = now.get(name);
            if (a == null) {
                changes.add(kind + " " + name + " is new");
            } else if (b == null) {
                changes.add(kind + " " + name + " is gone");
            } else if (!a.equals(b)) {
                changes.add(kind + " " + name + ": " + a + " → " + b);
            }
        }
    }
}
