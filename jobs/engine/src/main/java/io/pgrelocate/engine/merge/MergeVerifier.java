package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.merge.MergePlan.TargetTable;
import io.pgrelocate.engine.mysql.Canonical;
import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.PgRows;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.verify.Difference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a merge: replays the policy over the sources' canonical rows (what the target must hold)
 * and compares it with the target, row by key; each difference is named by table and key.
 */
final class MergeVerifier {
    private static final int EXAMPLES = 10;

    private MergeVerifier() {
    }

    static List<Difference> verify(Db target, MergeSources sources, TargetTable t) {
        List<String> names = t.columns().stream().map(ColumnPlan::target).toList();
        int[] targetKey = t.key().stream().mapToInt(names::indexOf).toArray();
        Map<String, String[]> expected = new HashMap<>();
        for (Feed f : t.feeds()) {
            int[] positions = f.columns().stream().mapToInt(c -> names.indexOf(c.target())).toArray();
            int[] key = FeedRows.keyPositions(f, t.key());
            FeedRows.stream(sources, f, raw -> {
                String[] canon = FeedRows.canonical(f, raw);
                String k = FeedRows.key(canon, key);
                String[] row = expected.get(k);
                if (row != null && t.policy() == MergeMapping.Policy.FIRST) {
                    return;
                }
                if (row == null) {
                    row = new String[names.size()];
                    expected.put(k, row);
                }
                for (int i = 0; i < positions.length; i++) {
                    row[positions[i]] = canon[i];
                }
            });
        }
        List<Difference> out = new ArrayList<>();
        long[] differing = {0};
        String keyName = "(" + String.join(", ", t.key()) + ")=";
        PgRows.stream(target, t.qualified(), names.stream().map(PgNames::quote).toList(), values -> {
            String[] canon = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                canon[i] = Canonical.postgres(t.columns().get(i), values[i]);
            }
            String k = FeedRows.key(canon, targetKey);
            String[] want = expected.remove(k);
            if (want == null || !Arrays.equals(want, canon)) {
                differing[0]++;
                if (out.size() < EXAMPLES) {
                    out.add(new Difference("row", t.display() + " " + keyName + "(" + k + ")",
                            want == null ? "absent" : Arrays.toString(want), Arrays.toString(canon)));
                }
            }
        });
        for (Map.Entry<String, String[]> missing : expected.entrySet()) {
            differing[0]++;
            if (out.size() < EXAMPLES) {
                out.add(new Difference("row", t.display() + " " + keyName + "(" + missing.getKey() + ")",
                        Arrays.toString(missing.getValue()), "absent"));
            }
        }
        if (differing[0] > 0) {
            out.add(0, new Difference("table", t.display(), "the sources under policy " + t.policy().name().toLowerCase(),
                    differing[0] + " rows differ"));
        }
        return out;
    }

}
