package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Foreign keys between plain tables, added once every index is built: first all of them
 * {@code NOT VALID} (instant, one session), then {@code VALIDATE CONSTRAINT} in parallel. Adding a
 * key with its check locks the referenced table against every other key to it, so pg_restore runs
 * the keys to one busy table (accounts, statuses …) one after another; VALIDATE only takes a
 * ROW SHARE lock on the referenced table, so those checks run side by side. A key that is
 * NOT VALID on the source stays so. Keys of partitioned tables are left to pg_restore.
 */
final class ForeignKeys {
    /** One key; {@code definition} is pg_get_constraintdef's, with NOT VALID where the source has it. */
    record ForeignKey(String table, String name, String definition, boolean validated, long tocOid, long tableBytes) {
        String add() {
            return "ALTER TABLE ONLY " + table + " ADD CONSTRAINT " + name + " " + definition + (validated ? " NOT VALID" : "");
        }

        String validate() {
            return "ALTER TABLE ONLY " + table + " VALIDATE CONSTRAINT " + name;
        }
    }

    private ForeignKeys() {
    }

    /** Keys whose referencing table is one of {@code tables} (qualified names), biggest table first; none before PostgreSQL 11. */
    static List<ForeignKey> read(Db source, Set<String> tables) {
        if (Integer.parseInt(source.text("SHOW server_version_num")) < 110000) {
            return List.of();  // no conparentid: leave every key to pg_restore
        }
        return source.list("""
                SELECT n.nspname || '.' || c.relname, c.oid::regclass::text, quote_ident(co.conname), pg_get_constraintdef(co.oid),
                       co.convalidated, co.oid::int8, pg_table_size(c.oid)
                  FROM pg_constraint co
                  JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_class r ON r.oid = co.confrelid
                 WHERE co.contype = 'f' AND co.conparentid = 0 AND c.relkind = 'r' AND NOT c.relispartition
                   AND r.relkind = 'r' AND NOT r.relispartition
                """, rs -> tables.contains(rs.getString(1))
                ? new ForeignKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getLong(6), rs.getLong(7))
                : null).stream().filter(k -> k != null).sorted(Comparator.comparingLong(ForeignKey::tableBytes).reversed()).toList();
    }
}
