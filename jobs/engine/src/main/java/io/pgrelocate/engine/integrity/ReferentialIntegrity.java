package io.pgrelocate.engine.integrity;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Counts, for every foreign key in a database, the rows that break it. A restore that disabled
 * triggers, or data loaded with {@code session_replication_role = replica}, can leave such rows
 * behind while the constraint still looks valid. One anti-join per key, with the key's own
 * equality operators; read-only.
 */
public final class ReferentialIntegrity {
    // Multi-argument unnest is FROM-clause syntax and cannot be schema-qualified.
    private static final String FOREIGN_KEYS = """
            SELECT pg_catalog.format('%%I.%%I.%%I', n.nspname, c.relname, co.conname),
                   pg_catalog.format('%%I.%%I', n.nspname, c.relname), c.relkind = 'p',
                   pg_catalog.format('%%I.%%I', rn.nspname, rc.relname), rc.relkind = 'p', co.confmatchtype = 'f',
                   pg_catalog.array_agg(a.attname::text ORDER BY k.i), pg_catalog.array_agg(ra.attname::text ORDER BY k.i),
                   pg_catalog.array_agg(pg_catalog.format('OPERATOR(%%I.%%s)', opn.nspname, op.oprname) ORDER BY k.i)
              FROM pg_catalog.pg_constraint co
              JOIN pg_catalog.pg_class c ON c.oid = co.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
             CROSS JOIN LATERAL unnest(co.conkey, co.confkey, co.conpfeqop) WITH ORDINALITY AS k(col, rcol, op, i)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.col
              JOIN pg_catalog.pg_attribute ra ON ra.attrelid = co.confrelid AND ra.attnum = k.rcol
              JOIN pg_catalog.pg_operator op ON op.oid = k.op JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace
             WHERE co.contype = 'f' AND co.conparentid = 0 AND %s
             GROUP BY co.oid, n.nspname, c.relname, c.relkind, co.conname, rn.nspname, rc.relname, rc.relkind, co.confmatchtype
             ORDER BY 1
            """;

    private final ObjectFilter filter;
    private final Consumer<String> out;

    public ReferentialIntegrity(ObjectFilter filter, Consumer<String> out) {
        this.filter = filter;
        this.out = out;
    }

    /** Every foreign key in the database's (not excluded) user schemas, with its orphan count. */
    public List<ForeignKeyOrphans> check(Db db) {
        // row_security=off: a policy that would hide parent rows raises an error instead of inventing orphans.
        db.execute("SET default_transaction_read_only = on; SET row_security = off");
        List<ForeignKey> keys = db.list(FOREIGN_KEYS.formatted(filter.userSchemaPredicate("n.nspname")), ForeignKey::read);
        out.accept("integrity: checking " + keys.size() + " foreign key(s) on " + db.spec().display());
        List<ForeignKeyOrphans> results = new ArrayList<>();
        for (ForeignKey key : keys) {
            long orphans = db.longValue(key.orphanCountSql());
            results.add(new ForeignKeyOrphans(key.name, key.table, key.columns, key.referencedTable, key.referencedColumns, orphans));
            if (orphans > 0) {
                out.accept("integrity: " + results.get(results.size() - 1).describe());
            }
        }
        return results;
    }

    /** One line for the summary: how many keys hold, or the first broken key and its orphans. */
    public static CheckResult verdict(List<ForeignKeyOrphans> keys) {
        List<ForeignKeyOrphans> broken = keys.stream().filter(k -> k.orphans() > 0).toList();
        if (broken.isEmpty()) {
            return CheckResult.ok("integrity", keys.size() + " foreign key(s), no orphan rows");
        }
        return CheckResult.failed("integrity", ExitCode.CHECK_FAILED, broken.size() + " of " + keys.size()
                + " foreign key(s) have orphan rows, first " + broken.get(0).describe()
                + ": restore the missing parent rows on the target or repeat the migration");
    }

    private record ForeignKey(String name, String table, boolean partitioned, String referencedTable,
                              boolean referencedPartitioned, boolean matchFull, List<String> columns,
                              List<String> referencedColumns, List<String> operators) {
        static ForeignKey read(ResultSet rs) throws SQLException {
            return new ForeignKey(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getBoolean(5),
                    rs.getBoolean(6), texts(rs, 7), texts(rs, 8), texts(rs, 9));
        }

        private static List<String> texts(ResultSet rs, int column) throws SQLException {
            return Arrays.asList((String[]) rs.getArray(column).getArray());
        }

        /**
         * Rows with a complete key that matches no parent row. As in the constraint's own trigger, a
         * plain table is read with ONLY (its inheritance children are not bound by the key), a
         * partitioned one with its partitions. MATCH FULL also forbids a key that is partly null.
         */
        String orphanCountSql() {
            List<String> complete = new ArrayList<>();
            List<String> matches = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String child = "c." + Db.quoteIdent(columns.get(i));
                complete.add(child + " IS NOT NULL");
                matches.add("p." + Db.quoteIdent(referencedColumns.get(i)) + " " + operators.get(i) + " " + child);
            }
            String orphan = "(" + String.join(" AND ", complete) + ") AND NOT EXISTS (SELECT 1 FROM "
                    + (referencedPartitioned ? "" : "ONLY ") + referencedTable + " p WHERE " + String.join(" AND ", matches) + ")";
            if (matchFull && columns.size() > 1) {
                String allNull = columns.stream().map(c -> "c." + Db.quoteIdent(c) + " IS NULL").collect(Collectors.joining(" AND "));
                orphan = "(" + orphan + ") OR NOT (" + String.join(" AND ", complete) + ") AND NOT (" + allNull + ")";
            }
            return "SELECT count(*) FROM " + (partitioned ? "" : "ONLY ") + table + " c WHERE " + orphan;
        }
    }
}
