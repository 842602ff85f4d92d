package io.pgrelocate.engine.verify;

import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What verification compares, read from one database under fixed output settings.
 *
 * @param tables        qualified name → row count and digest (tables, partitions, matviews)
 * @param sequences     qualified name → position
 * @param largeObjects  OID-and-content digest over all large objects
 * @param extensions    name → version
 * @param schemaObjects kind (table, index, constraint, …) → qualified names
 * @param definitions   kind (column, constraint, index, view, function, …) → qualified name → definition
 */
public record DatabaseSnapshot(SortedMap<String, TableDigest> tables, SortedMap<String, SequenceState> sequences,
                               LargeObjectDigest largeObjects, SortedMap<String, String> extensions,
                               SortedMap<String, SortedSet<String>> schemaObjects,
                               SortedMap<String, SortedMap<String, String>> definitions) {

    public long totalRows() {
        return tables.values().stream().mapToLong(TableDigest::rows).sum();
    }

    public record LargeObjectDigest(long count, String digest) {
    }

    public Map<String, Integer> objectCounts() {
        return schemaObjects.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().size(), (a, b) -> a, java.util.TreeMap::new));
    }
}
