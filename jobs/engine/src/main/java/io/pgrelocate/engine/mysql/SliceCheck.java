package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.verify.Difference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the comparison of one table slice found: rows on each side, rows that differ, differing values per
 * column (a row on one side only counts each column) and the first few rows named by key.
 */
final class SliceCheck {
    static final int EXAMPLES = 10;

    private final TablePlan table;
    private final int[] key;
    private final String keyName;
    long sourceRows;
    long targetRows;
    long rowsDiffering;
    final Map<String, Long> byColumn = new LinkedHashMap<>();
    final List<Difference> examples = new ArrayList<>();

    SliceCheck(TablePlan table, int[] key) {
        this.table = table;
        this.key = key;
        this.keyName = key.length == 0 ? "row" : "(" + Arrays.stream(key).mapToObj(i -> table.columns().get(i).target())
                .collect(Collectors.joining(", ")) + ")";
    }

    void sourceRow() {
        sourceRows++;
    }

    void targetRow() {
        targetRows++;
    }

    /** A source row the target lacks (canonical values, or null when {@link #namesMore() no more rows are named}). */
    void missing(String[] canonical) {
        oneSided(canonical, "a row", "absent");
    }

    /** A target row the source lacks (canonical values, or null when {@link #namesMore() no more rows are named}). */
    void extra(String[] canonical) {
        oneSided(canonical, "absent", canonical == null ? null : "a row " + String.join(", ", nullSafe(canonical)));
    }

    /** A row on both sides whose values differ: {@code targetValues[i]} the target's canonical value where column i differs, else null. */
    void differing(String rowKey, String[] targetValues) {
        rowsDiffering++;
        List<String> named = new ArrayList<>();
        for (int i = 0; i < targetValues.length; i++) {
            if (targetValues[i] != null) {
                String column = table.columns().get(i).target();
                named.add(column + "=" + targetValues[i]);
                byColumn.merge(column, 1L, Long::sum);
            }
        }
        example(rowKey, "other values", String.join(", ", named));
    }

    private void oneSided(String[] canonical, String source, String target) {
        rowsDiffering++;
        table.columns().forEach(c -> byColumn.merge(c.target(), 1L, Long::sum));
        if (canonical != null) {
            example(keyOf(canonical), source, target);
        }
    }

    /** Whether another row would still be named (else a one-sided row's values need not be rendered: pass null). */
    boolean namesMore() {
        return examples.size() < EXAMPLES;
    }

    /** Several missing copies of one source row at once (the digest pass counts rows by key). */
    void missing(String rowKey, int copies) {
        rowsDiffering += copies;
        table.columns().forEach(c -> byColumn.merge(c.target(), (long) copies, Long::sum));
        example(rowKey, "a row", "absent");
    }

    private void example(String rowKey, String source, String target) {
        if (examples.size() < EXAMPLES) {
            examples.add(new Difference("row", table.display() + " " + keyName + "=" + rowKey, source, target));
        }
    }

    /** The key's canonical values; a table without a key is keyed by the whole row. */
    String keyOf(String[] canonical) {
        if (key.length == 0) {
            return String.join("|", nullSafe(canonical));
        }
        StringBuilder sb = new StringBuilder();
        for (int i : key) {
            sb.append(sb.length() == 0 ? "" : ",").append(canonical[i]);
        }
        return sb.toString();
    }

    private static List<String> nullSafe(String[] canonical) {
        return Arrays.stream(canonical).map(s -> s == null ? "NULL" : s).toList();
    }
}
