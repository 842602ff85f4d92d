package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Ranges;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.TableInfo;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the tables into COPY units, biggest first so no worker is left with a big table at the end.
 * Binary COPY only where every column's type is built in and none is a reg* type (regclass, regtype,
 * … and their arrays), whose binary form is the source's OID: in text they travel by name, as
 * pg_dump moves them.
 * A table above the split threshold becomes ranges: of its integer primary key (bounds from the
 * snapshot, open at both ends so no row escapes), else of its heap pages by ctid on PostgreSQL 14+
 * (TID range scans; the last range is open, so pages added since the size was read are covered).
 */
final class StreamPlan {
    /** Above this many ranges per worker the per-range overhead outweighs the balance gained. */
    private static final int MAX_PIECES_PER_JOB = 4;

    private record Shape(String columns, boolean builtinTypes, long pages) {
    }

    private StreamPlan() {
    }

    /** Reads on {@code source}, a session inside the copy's snapshot. */
    static List<CopyUnit> units(Db source, List<TableInfo> tables, StreamTuning tuning, int jobs) {
        int version = Integer.parseInt(source.text("SHOW server_version_num"));
        Map<String, Shape> shapes = shapes(source, version);
        Map<String, String> intKeys = new HashMap<>();
        source.list("""
                SELECT n.nspname || '.' || c.relname, quote_ident(a.attname)
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                 WHERE i.indisprimary AND i.indnatts = 1 AND a.atttypid IN (20, 21, 23)
                """, rs -> intKeys.put(rs.getString(1), rs.getString(2)));

        List<CopyUnit> units = new ArrayList<>();
        for (TableInfo t : tables) {
            if (t.materializedView()) {
                continue;  // refreshed on the target, not copied
            }
            Shape shape = shapes.getOrDefault(t.qualifiedName(), new Shape("", true, 0));
            boolean binary = tuning.binary() && shape.builtinTypes();
            int pieces = jobs == 1 || t.bytes() <= tuning.splitBytes() ? 1 : pieces(t.bytes(), tuning.splitBytes(), jobs);
            List<String> ranges = pieces < 2 ? List.of()
                    : intKeys.containsKey(t.qualifiedName()) ? keyRanges(source, t, intKeys.get(t.qualifiedName()), pieces)
                    : version >= Ranges.TID_RANGE_SCAN_VERSION ? Ranges.ofPages(shape.pages(), pieces)
                    : List.of();
            if (ranges.size() < 2) {
                units.add(new CopyUnit(t, shape.columns(), binary, null, 1, 1, t.bytes()));
            } else {
                for (int i = 0; i < ranges.size(); i++) {
                    units.add(new CopyUnit(t, shape.columns(), binary, ranges.get(i), i + 1, ranges.size(), t.bytes() / ranges.size()));
                }
            }
        }
        units.sort(Comparator.comparingLong(CopyUnit::bytes).reversed());
        return units;
    }

    /**
     * Ranges of about {@code splitBytes}, rounded up to a multiple of the workers: 5 ranges on 2 workers
     * leave one worker alone with the last range while the other idles, and the table's index builds wait for it.
     */
    static int pieces(long bytes, long splitBytes, int jobs) {
        long n = (bytes + splitBytes - 1) / splitBytes;
        return (int) Math.min((n + jobs - 1) / jobs * jobs, (long) jobs * MAX_PIECES_PER_JOB);
    }

    private static Map<String, Shape> shapes(Db source, int version) {
        String copied = version >= 120000 ? "a.attgenerated = ''" : "true";
        Map<String, Shape> shapes = new HashMap<>();
        source.list("""
                SELECT n.nspname || '.' || c.relname,
                       coalesce(string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE %1$s), ''),
                       coalesce(bool_and(coalesce(nullif(ty.typbasetype, 0), ty.oid) < 16384 AND ty.typsend::oid <> 0 AND ty.typreceive::oid <> 0
                                         AND format_type(coalesce(nullif(ty.typbasetype, 0), ty.oid), NULL) !~ '^reg')
                                FILTER (WHERE %1$s), true),
                       pg_relation_size(c.oid) / current_setting('block_size')::int
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                  LEFT JOIN pg_type ty ON ty.oid = a.atttypid
                 WHERE c.relkind = 'r'
                 GROUP BY c.oid, n.nspname, c.relname
                """.formatted(copied), rs -> shapes.put(rs.getString(1), new Shape(rs.getString(2), rs.getBoolean(3), rs.getLong(4))));
        return shapes;
    }

    /** {@code key < b1}, {@code key >= b1 AND key < b2}, …, {@code key >= bn-1}: every row in exactly one range. */
    static List<String> keyRanges(Db source, TableInfo t, String key, int pieces) {
        String[] bounds = source.one("SELECT min(" + key + ")::text, max(" + key + ")::text FROM ONLY " + t.sqlName(),
                rs -> new String[] {rs.getString(1), rs.getString(2)});
        if (bounds[0] == null) {
            return List.of();
        }
        BigInteger lo = new BigInteger(bounds[0]);
        BigInteger span = new BigInteger(bounds[1]).subtract(lo).add(BigInteger.ONE);
        List<String> cuts = new ArrayList<>();
        for (int i = 1; i < pieces; i++) {
            String cut = lo.add(span.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(pieces))).toString();
            if (!cuts.contains(cut)) {
                cuts.add(cut);
            }
        }
        return Ranges.between(key, cuts);
    }
}
