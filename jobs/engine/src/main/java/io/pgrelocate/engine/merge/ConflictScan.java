package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.merge.MergePlan.TargetTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads every feed's keys: rows per source, and the keys more than one row has (across sources or within one). */
final class ConflictScan {
    private static final int KEYS_LISTED = 20;

    /** @param conflicts keys met more than once; {@code listed} holds the first few */
    record Result(String table, Map<String, Long> rowsPerSource, long conflicts, List<String> listed) {
    }

    private ConflictScan() {
    }

    static Result scan(MergeSources sources, TargetTable table) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        long[] conflicts = {0};
        for (Feed feed : table.feeds()) {
            int[] key = FeedRows.keyPositions(feed, table.key());
            long n = FeedRows.stream(sources, feed, raw -> {
                String k = FeedRows.key(FeedRows.canonical(feed, raw), key);
                if (seen.merge(k, 1, Integer::sum) == 2) {
                    conflicts[0]++;
                    if (listed.size() < KEYS_LISTED) {
                        listed.add("(" + String.join(", ", table.key()) + ")=(" + k + ")");
                    }
                }
            });
            rows.merge(feed.display(), n, Long::sum);
        }
        return new Result(table.display(), rows, conflicts[0], listed);
    }
}
