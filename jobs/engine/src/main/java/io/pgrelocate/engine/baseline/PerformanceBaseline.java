package io.pgrelocate.engine.baseline;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Times the same few queries on source and target: for each of the largest tables a
 * {@code count(*)}, a primary-key lookup of one existing row and an ordered {@code LIMIT 100} scan
 * by the primary key. Each query runs once to warm the cache, then {@link #RUNS} times on each side
 * in turn; the median counts. Read-only on both sides.
 */
public final class PerformanceBaseline {
    public static final int TABLES = 3;
    public static final int RUNS = 3;

    private final Consumer<String> out;

    public PerformanceBaseline(Consumer<String> out) {
        this.out = out;
    }

    /** @param tables the source's tables, largest first (as the introspector lists them) */
    public BaselineResult measure(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, Double maxRatio) {
        try (Db s = Db.connect(source); Db t = Db.connect(target)) {
            s.execute("SET default_transaction_read_only = on");
            t.execute("SET default_transaction_read_only = on");
            List<QueryTiming> timings = new ArrayList<>();
            for (TableInfo table : tables.stream().filter(x -> !x.materializedView()).limit(TABLES).toList()) {
                for (String[] q : queries(s, table)) {
                    double[] sourceMillis = new double[RUNS];
                    double[] targetMillis = new double[RUNS];
                    time(s, q[1]);  // warm-up, not counted
                    time(t, q[1]);
                    for (int i = 0; i < RUNS; i++) {  // in turn, so a burst of load elsewhere hits both sides alike
                        sourceMillis[i] = time(s, q[1]);
                        targetMillis[i] = time(t, q[1]);
                    }
                    QueryTiming timing = new QueryTiming(table.qualifiedName(), q[0], median(sourceMillis), median(targetMillis));
                    out.accept("baseline: " + timing.describe());
                    timings.add(timing);
                }
            }
            return new BaselineResult(timings, RUNS, maxRatio);
        }
    }

    /** {label, sql} pairs; without a primary key only the count. */
    private static List<String[]> queries(Db source, TableInfo table) {
        List<String[]> queries = new ArrayList<>();
        queries.add(new String[] {"count(*)", "SELECT count(*) FROM " + table.sqlName()});
        List<String[]> key = source.list("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)
                  FROM pg_catalog.pg_index i
                 CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.n
                """, rs -> new String[] {rs.getString(1), rs.getString(2)}, table.sqlName());
        if (key.isEmpty()) {
            return queries;
        }
        String columns = key.stream().map(k -> Db.quoteIdent(k[0])).collect(Collectors.joining(", "));
        List<String[]> row = source.list("SELECT ARRAY[" + key.stream().map(k -> Db.quoteIdent(k[0]) + "::text")
                .collect(Collectors.joining(", ")) + "] FROM " + table.sqlName() + " LIMIT 1",
                rs -> (String[]) rs.getArray(1).getArray());
        if (!row.isEmpty()) {
            String[] values = row.get(0);
            String where = IntStream.range(0, key.size()).mapToObj(i -> Db.quoteIdent(key.get(i)[0]) + " = "
                    + ObjectFilter.literal(values[i]) + "::" + key.get(i)[1]).collect(Collectors.joining(" AND "));
            queries.add(new String[] {"primary-key lookup", "SELECT * FROM " + table.sqlName() + " WHERE " + where});
        }
        queries.add(new String[] {"ordered LIMIT 100", "SELECT * FROM " + table.sqlName() + " ORDER BY " + columns + " LIMIT 100"});
        return queries;
    }

    /** Milliseconds to run the query and read every row. */
    private static double time(Db db, String sql) {
        long t0 = System.nanoTime();
        db.list(sql, rs -> null);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
