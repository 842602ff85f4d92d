package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.postgres.Db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names a few primary keys behind a table difference ("e.g. (42) missing on the target"), so the
 * user can look at the rows. Read only for tables that differ and have a primary key, and only up to
 * {@link #MAX_ROWS} rows: each side's keys and row hashes are held in memory.
 */
final class ExampleKeys {
    static final long MAX_ROWS = 1_000_000;
    private static final int SHOWN = 5;
    private static final Set<String> TABLE_KINDS = Set.of("table", "unlogged table");

    private ExampleKeys() {
    }

    /** Replaces each table difference in {@code differences} by one that also names example keys. */
    static void addTo(List<Difference> differences, Db source, Db target) {
        for (int i = 0; i < differences.size(); i++) {
            Difference d = differences.get(i);
            if (TABLE_KINDS.contains(d.kind()) && !d.source().equals("absent") && !d.target().equals("absent")) {
                Optional<String> examples = examples(d.object(), source, target);
                if (examples.isPresent()) {
                    differences.set(i, new Difference(d.kind(), d.object(), d.source(), d.target() + "; " + examples.get()));
                }
            }
        }
    }

    private static Optional<String> examples(String table, Db source, Db target) {
        List<String> found = source.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY array_position(i.indkey::int2[], a.attnum))
                          FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                         WHERE i.indrelid = c.oid AND i.indisprimary)
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname || '.' || c.relname = ? AND greatest(c.reltuples, 0) <= ?
                """, rs -> rs.getString(2) == null ? null : rs.getString(1) + "\u0000" + rs.getString(2), table, MAX_ROWS);
        if (found.size() != 1 || found.get(0) == null) {
            return Optional.empty();
        }
        String[] parts = found.get(0).split("\u0000");
        String sql = "SELECT ROW(" + parts[1] + ")::text, hashtextextended(t::text, 0) FROM ONLY " + parts[0] + " t";
        Map<String, Long> s = hashes(source, sql);
        Map<String, Long> t = hashes(target, sql);
        List<String> examples = new ArrayList<>();
        s.forEach((key, hash) -> {
            if (examples.size() < SHOWN && !hash.equals(t.get(key))) {
                examples.add(key + (t.containsKey(key) ? " differs" : " missing on the target"));
            }
        });
        t.keySet().stream().filter(key -> !s.containsKey(key)).limit(Math.max(0, SHOWN - examples.size()))
                .forEach(key -> examples.add(key + " only on the target"));
        return examples.isEmpty() ? Optional.empty() : Optional.of("e.g. key " + String.join(", ", examples));
    }

    private static Map<String, Long> hashes(Db db, String sql) {
        Map<String, Long> map = new HashMap<>();
        db.list(sql, rs -> map.put(rs.getString(1), rs.getLong(2)));
        return map;
    }
}
