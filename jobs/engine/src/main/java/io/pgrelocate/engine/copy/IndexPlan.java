package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads, inside the copy's snapshot, how to build each plain table's indexes on the target. A primary
 * key or unique constraint becomes {@code CREATE UNIQUE INDEX} then {@code ADD CONSTRAINT … USING INDEX}:
 * CREATE INDEX takes a SHARE lock, so several indexes of one table build at once, where ADD
 * CONSTRAINT would build under an exclusive lock. Deferrable and exclusion constraints are added
 * whole. Partitioned tables and partitions are left to pg_restore, which attaches their indexes.
 * Invalid indexes (a failed CREATE INDEX CONCURRENTLY) are skipped, as pg_dump skips them.
 * Needs {@code search_path = ''} on {@code source} so definitions come out fully qualified.
 */
final class IndexPlan {
    private IndexPlan() {
    }

    /** Table (qualified name) → its builds, biggest first; only for {@code tables}. */
    static Map<String, List<IndexBuild>> read(Db source, Set<String> tables) {
        Map<String, List<IndexBuild>> builds = new HashMap<>();
        source.list("""
                SELECT n.nspname || '.' || c.relname, quote_ident(ic.relname), x.indexrelid::int8, pg_get_indexdef(x.indexrelid),
                       x.indisreplident, x.indisclustered, co.oid::int8, quote_ident(co.conname), co.contype::text,
                       co.condeferrable, pg_get_constraintdef(co.oid), pg_relation_size(x.indexrelid), c.oid::regclass::text
                  FROM pg_index x
                  JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_class ic ON ic.oid = x.indexrelid
                  LEFT JOIN pg_constraint co ON co.conindid = x.indexrelid AND co.conrelid = x.indrelid AND co.contype IN ('p', 'u', 'x')
                 WHERE c.relkind = 'r' AND NOT c.relispartition AND NOT c.relhassubclass AND x.indisvalid AND x.indislive
                """, rs -> {
            String table = rs.getString(1);
            if (!tables.contains(table)) {
                return null;
            }
            String index = rs.getString(2);
            String alter = "ALTER TABLE ONLY " + rs.getString(13) + " ";
            List<String> sql = new ArrayList<>();
            String contype = rs.getString(9);
            long tocOid = rs.getLong(3);
            String name = index;
            if (contype == null) {
                sql.add(rs.getString(4));
            } else {
                tocOid = rs.getLong(7);
                name = rs.getString(8);
                if (contype.equals("x") || rs.getBoolean(10)) {
                    sql.add(alter + "ADD CONSTRAINT " + name + " " + rs.getString(11));
                } else {
                    sql.add(rs.getString(4));
                    sql.add(alter + "ADD CONSTRAINT " + name + (contype.equals("p") ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + index);
                }
            }
            if (rs.getBoolean(5)) {
                sql.add(alter + "REPLICA IDENTITY USING INDEX " + index);
            }
            if (rs.getBoolean(6)) {
                sql.add(alter + "CLUSTER ON " + index);
            }
            builds.computeIfAbsent(table, k -> new ArrayList<>()).add(new IndexBuild(table, name, tocOid, List.copyOf(sql), rs.getLong(12)));
            return null;
        });
        builds.values().forEach(l -> l.sort(Comparator.comparingLong(IndexBuild::bytes).reversed()));
        return builds;
    }
}
