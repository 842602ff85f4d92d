package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.mysql.MysqlSchema.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The values a mapping depends on, read in one pass per table: every probe of a table is one
 * {@code SUM(condition)} in a single SELECT, and tables are scanned several at once (preflight reads big
 * tables, so the cost is one scan of each table that has something to probe); an example key is read
 * only for a probe that matched.
 */
final class ValueScan {
    /** A condition on one column, {@code {c}} standing for the quoted column. */
    record Probe(String table, String column, Kind kind, String condition) {
        String sql() {
            return condition.replace("{c}", MysqlDb.quote(column));
        }
    }

    enum Kind { NOT_BOOLEAN, BEYOND_DAY, ZERO_DATE, PARTIAL_DATE, INVALID_ENUM, OUT_OF_RANGE, JSON_NUL, BAD_BYTES }

    /** How many rows match a probe, and the key of one of them (null for a table without a key). */
    record Found(long rows, String exampleKey) {
        String example(List<String> keyColumns) {
            return exampleKey == null ? "" : " (e.g. " + (keyColumns.size() == 1 ? keyColumns.get(0)
                    : "(" + String.join(", ", keyColumns) + ")") + "=" + exampleKey + ")";
        }
    }

    private final Map<Probe, Found> found;

    private ValueScan(Map<Probe, Found> found) {
        this.found = found;
    }

    static ValueScan none() {
        return new ValueScan(Map.of());
    }

    /** The matches of a probe kind on a column; empty when it was not probed or nothing matched. */
    Optional<Found> of(String table, String column, Kind kind) {
        return found.entrySet().stream().filter(e -> e.getKey().table().equals(table) && e.getKey().column().equals(column)
                && e.getKey().kind() == kind && e.getValue().rows() > 0).map(Map.Entry::getValue).findFirst();
    }

    /** Runs the probes, one SELECT per table, up to {@code parallel} tables at once in sessions of their own. */
    static ValueScan run(MysqlDb db, List<Table> tables, List<Probe> probes, int parallel) {
        Map<String, List<Probe>> byTable = probes.stream().collect(Collectors.groupingBy(Probe::table, LinkedHashMap::new, Collectors.toList()));
        if (byTable.isEmpty()) {
            return none();
        }
        Map<String, Table> named = new HashMap<>();
        tables.forEach(t -> named.put(t.name(), t));
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, byTable.size())));
        try {
            List<Future<Map<Probe, Found>>> futures = new ArrayList<>();
            byTable.forEach((table, ps) -> futures.add(pool.submit(() -> {
                try (MysqlDb own = MysqlDb.connect(db.source())) {
                    return scan(own, named.get(table), ps);
                }
            })));
            Map<Probe, Found> all = new HashMap<>();
            for (Future<Map<Probe, Found>> f : futures) {
                all.putAll(f.get());
            }
            return new ValueScan(all);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof EngineException ee ? ee
                    : new EngineException(ExitCode.FAILED, "reading the source's values failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.FAILED, "reading the source's values was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One pass counting every probe's rows; then, for the few probes that matched, one example key each (a LIMIT 1 read). */
    private static Map<Probe, Found> scan(MysqlDb db, Table t, List<Probe> probes) {
        String table = MysqlDb.quote(t.name());
        List<Long> counts = db.list("SELECT " + probes.stream().map(p -> "COALESCE(SUM(" + p.sql() + "), 0)")
                .collect(Collectors.joining(", ")) + " FROM " + table, rs -> {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                out.add(rs.getLong(i + 1));
            }
            return out;
        }).get(0);
        List<String> key = t.primaryKey().map(MysqlSchema.Index::columns).orElse(List.of());
        Map<Probe, Found> found = new HashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            String example = counts.get(i) == 0 || key.isEmpty() ? null : db.text("SELECT CONCAT_WS(',', " + key.stream()
                    .map(k -> "CAST(" + MysqlDb.quote(k) + " AS CHAR)").collect(Collectors.joining(", ")) + ") FROM " + table
                    + " WHERE " + p.sql() + " LIMIT 1");
            found.put(p, new Found(counts.get(i), example));
        }
        return found;
    }
}
