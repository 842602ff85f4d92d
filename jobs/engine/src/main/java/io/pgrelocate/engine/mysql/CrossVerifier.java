package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.VerifyResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Verify across engines: per table the row count and an order-independent digest over canonical
 * values ({@link Canonical}) read from MySQL and from PostgreSQL. When a table differs, a second
 * pass by key names the rows and counts the values that differ, per column.
 */
public final class CrossVerifier {
    private static final int EXAMPLES = 10;
    private static final ExecutorService SIDES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgrelocate-verify-source");
        t.setDaemon(true);
        return t;
    });

    /** One table's outcome; {@code valuesByColumn} counts differing values (missing/extra rows count each column). */
    public record TableCheck(String table, long sourceRows, long targetRows, boolean identical, long rowsDiffering,
                             Map<String, Long> valuesByColumn, List<Difference> examples) {
        public long valuesDiffering() {
            return valuesByColumn.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private CrossVerifier() {
    }

    public static List<TableCheck> check(MysqlSource source, ConnectionSpec target, List<TablePlan> tables, int jobs) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        try {
            List<Future<TableCheck>> futures = new ArrayList<>();
            for (TablePlan t : tables) {
                futures.add(pool.submit(() -> {
                    try (MysqlDb my = MysqlDb.connect(source); Db pg = Db.connect(target)) {
                        return table(my, pg, t);
                    }
                }));
            }
            List<TableCheck> out = new ArrayList<>();
            for (Future<TableCheck> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new EngineException(ExitCode.FAILED, e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.FAILED, "verify interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The checks as the engine's VerifyResult: one difference per differing table and per named row. */
    public static VerifyResult result(List<TableCheck> checks) {
        List<Difference> differences = new ArrayList<>();
        long rows = 0;
        for (TableCheck c : checks) {
            rows += c.sourceRows();
            if (!c.identical()) {
                differences.add(new Difference("table", c.table(), c.sourceRows() + " rows", c.targetRows() + " rows, "
                        + c.rowsDiffering() + " rows and " + c.valuesDiffering() + " values differ " + c.valuesByColumn()));
                differences.addAll(c.examples());
            }
        }
        return new VerifyResult(checks.size(), rows, 0, 0, Map.of(), differences, List.of());
    }

    static TableCheck table(MysqlDb my, Db pg, TablePlan t) {
        List<ColumnPlan> cols = t.columns();
        List<String> pgCols = cols.stream().map(c -> PgNames.quote(c.target())).toList();
        RowDigest src = new RowDigest();
        RowDigest dst = new RowDigest();
        // The two sides are read at once: each is a stream from its own server.
        CompletableFuture<Long> source = CompletableFuture.supplyAsync(
                () -> MysqlRows.stream(my, t.source(), cols, values -> src.add(mysqlCanonical(cols, values))), SIDES);
        PgRows.stream(pg, t.qualified(), pgCols, values -> dst.add(pgCanonical(cols, values)));
        try {
            source.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (src.sameAs(dst)) {
            return new TableCheck(t.display(), src.rows(), dst.rows(), true, 0, Map.of(), List.of());
        }
        return byKey(my, pg, t, src.rows(), dst.rows());
    }

    private static TableCheck byKey(MysqlDb my, Db pg, TablePlan t, long sourceRows, long targetRows) {
        List<ColumnPlan> cols = t.columns();
        int[] key = keyIndexes(t);
        Map<String, int[]> expectedValues = new HashMap<>();
        Map<String, Integer> pending = new HashMap<>();
        MysqlRows.stream(my, t.source(), cols, values -> {
            String[] canon = mysqlCanonical(cols, values);
            String k = keyOf(canon, key);
            expectedValues.put(k, hashes(canon));
            pending.merge(k, 1, Integer::sum);
        });
        Map<String, Long> byColumn = new LinkedHashMap<>();
        List<Difference> examples = new ArrayList<>();
        long[] rowsDiffering = {0};
        String keyName = key.length == 0 ? "row" : "(" + java.util.Arrays.stream(key).mapToObj(i -> cols.get(i).target())
                .collect(Collectors.joining(", ")) + ")";
        PgRows.stream(pg, t.qualified(), cols.stream().map(c -> PgNames.quote(c.target())).toList(), values -> {
            String[] canon = pgCanonical(cols, values);
            String k = keyOf(canon, key);
            Integer left = pending.get(k);
            int[] expected = null;
            if (left != null) {
                expected = expectedValues.get(k);
                if (left == 1) {
                    pending.remove(k);
                } else {
                    pending.put(k, left - 1);
                }
            }
            if (expected == null) {
                rowsDiffering[0]++;
                cols.forEach(c -> byColumn.merge(c.target(), 1L, Long::sum));
                example(examples, t, keyName + "=" + k, "absent", "a row " + String.join(", ", nullSafe(canon)));
                return;
            }
            int[] actual = hashes(canon);
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) {
                if (expected[i] != actual[i]) {
                    differing.add(cols.get(i).target() + "=" + canon[i]);
                    byColumn.merge(cols.get(i).target(), 1L, Long::sum);
                }
            }
            if (!differing.isEmpty()) {
                rowsDiffering[0]++;
                example(examples, t, keyName + "=" + k, "other values", String.join(", ", differing));
            }
        });
        for (Map.Entry<String, Integer> missing : pending.entrySet()) {
            rowsDiffering[0] += missing.getValue();
            cols.forEach(c -> byColumn.merge(c.target(), (long) missing.getValue(), Long::sum));
            example(examples, t, keyName + "=" + missing.getKey(), "a row", "absent");
        }
        return new TableCheck(t.display(), sourceRows, targetRows, false, rowsDiffering[0], byColumn, examples);
    }

    private static void example(List<Difference> examples, TablePlan t, String key, String source, String target) {
        if (examples.size() < EXAMPLES) {
            examples.add(new Difference("row", t.display() + " " + key, source, target));
        }
    }

    private static List<String> nullSafe(String[] canon) {
        List<String> out = new ArrayList<>();
        for (String s : canon) {
            out.add(s == null ? "NULL" : s);
        }
        return out;
    }

    private static int[] keyIndexes(TablePlan t) {
        List<String> names = t.columns().stream().map(ColumnPlan::target).toList();
        return t.keyColumns().stream().mapToInt(names::indexOf).filter(i -> i >= 0).toArray();
    }

    /** The key's canonical values; a table without a key is keyed by the whole row. */
    private static String keyOf(String[] canon, int[] key) {
        if (key.length == 0) {
            return String.join("|", nullSafe(canon));
        }
        StringBuilder sb = new StringBuilder();
        for (int i : key) {
            sb.append(sb.length() == 0 ? "" : ",").append(canon[i]);
        }
        return sb.toString();
    }

    private static int[] hashes(String[] canon) {
        int[] h = new int[canon.length];
        for (int i = 0; i < canon.length; i++) {
            h[i] = canon[i] == null ? 0x5bd1e995 : canon[i].hashCode();
        }
        return h;
    }

    static String[] mysqlCanonical(List<ColumnPlan> cols, Object[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Canonical.mysql(cols.get(i), values[i]);
        }
        return out;
    }

    static String[] pgCanonical(List<ColumnPlan> cols, String[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Canonical.postgres(cols.get(i), values[i]);
        }
        return out;
    }
}
