package io.pgrelocate.engine.verify;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The outcome of comparing two databases.
 *
 * @param tables each source table's row count and content digest (the target's equal them unless a difference names the table)
 */
public record VerifyResult(int tablesCompared, long rowsCompared, int sequencesCompared, long largeObjectsCompared,
                           Map<String, Integer> schemaObjectCounts, List<Difference> differences, List<String> warnings,
                           SortedMap<String, TableDigest> tables) {
    /** Without per-table digests (a comparison that made none, e.g. counts only or across engines). */
    public VerifyResult(int tablesCompared, long rowsCompared, int sequencesCompared, long largeObjectsCompared,
                        Map<String, Integer> schemaObjectCounts, List<Difference> differences, List<String> warnings) {
        this(tablesCompared, rowsCompared, sequencesCompared, largeObjectsCompared, schemaObjectCounts, differences, warnings,
                new java.util.TreeMap<>());
    }

    public boolean identical() {
        return differences.isEmpty();
    }

    /** What legitimately differs between servers and was removed before comparing definitions. */
    @JsonProperty
    public List<String> definitionNormalisations() {
        return DefinitionNormaliser.APPLIED;
    }
}
