package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;

/**
 * A cheap stand-in for {@link SchemaFingerprint}: two 32-bit hash sums (hashtext: PostgreSQL 10 has no 64-bit one) over the (oid, xmin) of the catalog rows the
 * fingerprint is made from (relations, columns, defaults, constraints, indexes, types, enum labels,
 * schemas). Every DDL that can change a fingerprint inserts, updates or deletes one of those rows,
 * so an equal version means an equal fingerprint; it reads no definition (format_type,
 * pg_get_indexdef…), which is what makes the fingerprint slow with thousands of tables. A different
 * version proves nothing (VACUUM FULL, TRUNCATE, GRANT also write those rows): the fingerprint decides.
 */
record CatalogVersion(long rows, String hash) {

    static CatalogVersion read(Db db, ObjectFilter filter) {
        String schemas = filter.userSchemaPredicate("n.nspname");
        return db.one("""
                SELECT count(*), coalesce(sum(hashtext(k)::numeric), 0) || '/' || coalesce(sum(hashtext(k || '/')::numeric), 0) FROM (
                  SELECT 'c' || c.oid || ':' || c.xmin AS k FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s
                  UNION ALL SELECT 'a' || a.attrelid || ':' || a.attnum || ':' || a.xmin FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE %1$s
                  UNION ALL SELECT 'd' || oid || ':' || xmin FROM pg_attrdef
                  UNION ALL SELECT 'k' || oid || ':' || xmin FROM pg_constraint
                  UNION ALL SELECT 'i' || indexrelid || ':' || xmin FROM pg_index
                  UNION ALL SELECT 't' || t.oid || ':' || t.xmin FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE %1$s
                  UNION ALL SELECT 'e' || oid || ':' || xmin FROM pg_enum
                  UNION ALL SELECT 'n' || oid || ':' || xmin FROM pg_namespace) v
                """.formatted(schemas), rs -> new CatalogVersion(rs.getLong(1), rs.getString(2)));
    }
}
