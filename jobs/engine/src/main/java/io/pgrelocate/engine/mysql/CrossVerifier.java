package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.VerifyResult;

import java.util.ArrayList;
import java.util.Comparator;
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

/**
 * Verify across engines, per table and per slice of its key ({@link KeyRange}), several slices at once.
 * A table whose key columns are all integers is read in key order on both sides and compared row by
 * row as it streams ({@link KeyOrderComparison}); any other table (a text key, no key) gets per slice
 * the row count and an order-independent digest over canonical values ({@link Canonical}), and, when
 * they differ, a second pass of that slice by key that names the rows and counts the differing values.
 */
public final class CrossVerifier {
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

    /** Compares the tables, the biggest first, up to {@code jobs} slices at once. */
    public static List<TableCheck> check(MysqlSource source, ConnectionSpec target, List<TablePlan> tables, int jobs) {
        try (Run run = new Run(source, target, jobs)) {
            tables.stream().sorted(Comparator.comparingLong(TablePlan::rowEstimate).reversed()).forEach(run::start);
            return run.results(tables);
        }
    }

    /**
     * A verification under way: each table's slices start as soon as the table is {@link #start started} (when
     * the copy has its rows and key, while other tables are still copied or indexed), up to {@code jobs} at once.
     */
    public static final class Run implements AutoCloseable {
        private final MysqlSource source;
        private final ConnectionSpec target;
        private final ExecutorService pool;
        private final Map<TablePlan, List<Future<SliceCheck>>> started = new java.util.concurrent.ConcurrentHashMap<>();

        public Run(MysqlSource source, ConnectionSpec target, int jobs) {
            this.source = source;
            this.target = target;
            this.pool = Executors.newFixedThreadPool(Math.max(1, jobs), r -> {
                Thread t = new Thread(r, "pgrelocate-verify");
                t.setDaemon(true);
                return t;
            });
        }

        /** Starts comparing a table whose rows (and key, if any) are on the target; a table started twice is compared once. */
        public void start(TablePlan t) {
            started.computeIfAbsent(t, table -> {
                int[] key = keyIndexes(table);
                List<KeyRange> ranges;
                try (MysqlDb my = MysqlDb.connect(source)) {
                    ranges = ranges(my, table, key);
                }
                return ranges.stream().map(r -> pool.submit(() -> {
                    try (MysqlDb my = MysqlDb.connect(source); Db pg = Db.connect(target)) {
                        return KeyOrderComparison.applies(table, key) ? KeyOrderComparison.compare(my, pg, table, key, r)
                                : digest(my, pg, table, key, r);
                    }
                })).toList();
            });
        }

        /** Every table's outcome, in the given order (tables not started yet are started now). */
        public List<TableCheck> results(List<TablePlan> tables) {
            tables.forEach(this::start);
            try {
                List<TableCheck> out = new ArrayList<>();
                for (TablePlan t : tables) {
                    List<SliceCheck> slices = new ArrayList<>();
                    for (Future<SliceCheck> f : started.get(t)) {
                        slices.add(f.get());
                    }
                    out.add(merged(t, slices));
                }
                return out;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new EngineException(ExitCode.FAILED, e.getCause().toString(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(ExitCode.FAILED, "verify interrupted", e);
            }
        }

        /** How many tables are under way. */
        public int underWay() {
            return started.size();
        }

        /** Stops what is still running (a failed copy, or after the results). */
        @Override
        public void close() {
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

    /** Slices by the first key column when it is an integer and the table is big enough to share out; else the whole table. */
    private static List<KeyRange> ranges(MysqlDb my, TablePlan t, int[] key) {
        if (key.length == 0 || t.columns().get(key[0]).kind() != ValueKind.INTEGER || t.rowEstimate() <= KeyRange.ROWS) {
            return List.of(KeyRange.ALL);
        }
        String column = MysqlDb.quote(t.columns().get(key[0]).source());
        List<long[]> bounds = my.list("SELECT MIN(" + column + "), MAX(" + column + ") FROM " + MysqlDb.quote(t.source()),
                rs -> rs.getString(1) == null ? null : new long[] {Long.parseLong(rs.getString(1)), Long.parseLong(rs.getString(2))});
        return bounds.get(0) == null ? List.of(KeyRange.ALL) : KeyRange.split(bounds.get(0)[0], bounds.get(0)[1], t.rowEstimate());
    }

    private static TableCheck merged(TablePlan t, List<SliceCheck> slices) {
        long source = 0;
        long target = 0;
        long rows = 0;
        Map<String, Long> byColumn = new LinkedHashMap<>();
        List<Difference> examples = new ArrayList<>();
        for (SliceCheck s : slices) {
            source += s.sourceRows;
            target += s.targetRows;
            rows += s.rowsDiffering;
            s.byColumn.forEach((c, n) -> byColumn.merge(c, n, Long::sum));
            s.examples.stream().limit(SliceCheck.EXAMPLES - examples.size()).forEach(examples::add);
        }
        return new TableCheck(t.display(), source, target, rows == 0 && source == target, rows, byColumn, examples);
    }

    /** A slice by count and digest; when they differ, by key. */
    private static SliceCheck digest(MysqlDb my, Db pg, TablePlan t, int[] key, KeyRange range) {
        List<ColumnPlan> cols = t.columns();
        List<String> pgCols = cols.stream().map(c -> PgNames.quote(c.target())).toList();
        String mysqlWhere = key.length == 0 ? "" : range.where(MysqlDb.quote(cols.get(key[0]).source()));
        String pgWhere = key.length == 0 ? "" : range.where(PgNames.quote(cols.get(key[0]).target()));
        RowDigest src = new RowDigest();
        RowDigest dst = new RowDigest();
        // The two sides are read at once: each is a stream from its own server.
        CompletableFuture<Long> source = CompletableFuture.supplyAsync(
                () -> MysqlRows.stream(my, t.source(), cols, mysqlWhere, values -> src.add(mysqlCanonical(cols, values))), SIDES);
        PgRows.stream(pg, t.qualified(), pgCols, pgWhere, values -> dst.add(pgCanonical(cols, values)));
        try {
            source.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        SliceCheck check = new SliceCheck(t, key);
        check.sourceRows = src.rows();
        check.targetRows = dst.rows();
        if (!src.sameAs(dst)) {
            byKey(my, pg, t, mysqlWhere, pgWhere, check);
        }
        return check;
    }

    private static void byKey(MysqlDb my, Db pg, TablePlan t, String mysqlWhere, String pgWhere, SliceCheck check) {
        List<ColumnPlan> cols = t.columns();
        Map<String, int[]> expectedValues = new HashMap<>();
        Map<String, Integer> pending = new HashMap<>();
        MysqlRows.stream(my, t.source(), cols, mysqlWhere, values -> {
            String[] canon = mysqlCanonical(cols, values);
            String k = check.keyOf(canon);
            expectedValues.put(k, hashes(canon));
            pending.merge(k, 1, Integer::sum);
        });
        PgRows.stream(pg, t.qualified(), cols.stream().map(c -> PgNames.quote(c.target())).toList(), pgWhere, values -> {
            String[] canon = pgCanonical(cols, values);
            String k = check.keyOf(canon);
            Integer left = pending.get(k);
            if (left == null) {
                check.extra(canon);
                return;
            }
            if (left == 1) {
                pending.remove(k);
            } else {
                pending.put(k, left - 1);
            }
            int[] expected = expectedValues.get(k);
            int[] actual = hashes(canon);
            String[] differing = null;
            for (int i = 0; i < cols.size(); i++) {
                if (expected[i] != actual[i]) {
                    differing = differing == null ? new String[cols.size()] : differing;
                    differing[i] = canon[i] == null ? "NULL" : canon[i];
                }
            }
            if (differing != null) {
                check.differing(k, differing);
            }
        });
        pending.forEach(check::missing);
    }

    private static int[] keyIndexes(TablePlan t) {
        List<String> names = t.columns().stream().map(ColumnPlan::target).toList();
        return t.keyColumns().stream().mapToInt(names::indexOf).filter(i -> i >= 0).toArray();
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
