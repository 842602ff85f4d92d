package io.pgrelocate.engine.verify;

import java.util.List;
import java.util.Map;

/** The outcome of comparing two databases. */
public record VerifyResult(int tablesCompared, long rowsCompared, int sequencesCompared, long largeObjectsCompared,
                           Map<String, Integer> schemaObjectCounts, List<Difference> differences, List<String> warnings) {
    public boolean identical() {
        return differences.isEmpty();
    }
}
