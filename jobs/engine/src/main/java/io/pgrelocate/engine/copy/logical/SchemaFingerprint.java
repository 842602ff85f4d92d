package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A digest per schema object of the source (tables with their columns and types, constraints,
 * indexes, enum and domain types). Replication carries no DDL, so a fingerprint taken at the start
 * that differs at the switch means the target's schema is stale: the switch is refused, naming the objects.
 */
public record SchemaFingerprint(SortedMap<String, String> digests) {

    public static SchemaFingerprint take(Db db, ObjectFilter filter) {
        String schemas = filter.userSchemaPredicate("n.nspname");
        String sql = """
                SELECT 'table ' || n.nspname || '.' || c.relname,
                       md5(c.relkind::text || c.relpersistence::text || ':' || coalesce(string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum), ''))
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
                 WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND %1$s AND %2$s
                 GROUP BY n.nspname, c.relname, c.relkind, c.relpersistence
                UNION ALL
                SELECT 'constraint ' || n.nspname || '.' || coalesce(cl.relname, ty.typname) || '.' || co.conname,
                       md5(pg_get_constraintdef(co.oid))
                  FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
                  LEFT JOIN pg_class cl ON cl.oid = co.conrelid LEFT JOIN pg_type ty ON ty.oid = co.contypid
                 WHERE %1$s
                UNION ALL
                SELECT 'index ' || n.nspname || '.' || c.relname, md5(pg_get_indexdef(c.oid))
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('i', 'I') AND %1$s AND %2$s
                UNION ALL
                SELECT 'type ' || n.nspname || '.' || t.typname,
                       md5(t.typtype::text || format_type(t.typbasetype, t.typtypmod) || ':' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                           FROM pg_enum e WHERE e.enumtypid = t.oid), ''))
                  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.typtype IN ('e', 'd') AND %1$s AND %3$s
                """.formatted(schemas, Introspector.notExtensionMember("pg_class", "c.oid"),
                Introspector.notExtensionMember("pg_type", "t.oid"));
        SortedMap<String, String> digests = new TreeMap<>();
        db.list(sql, rs -> digests.put(rs.getString(1), rs.getString(2)));
        return new SchemaFingerprint(digests);
    }

    /** What changed from {@code this} (the start) to {@code now}: e.g. "table public.t changed", "index public.i added". */
    public List<String> changesTo(SchemaFingerprint now) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : digests.entrySet()) {
            String then = now.digests.get(e.getKey());
            if (then == null) {
                changes.add(e.getKey() + " dropped");
            } else if (!then.equals(e.getValue())) {
                changes.add(e.getKey() + " changed");
            }
        }
        now.digests.keySet().stream().filter(k -> !digests.containsKey(k)).forEach(k -> changes.add(k + " added"));
        return changes;
    }
}
