package io.pgrelocate.engine.mysql;

import java.util.Map;
import java.util.Optional;

/** Per-column PostgreSQL types from the mapping file, by source table and column name. */
public record TypeOverrides(Map<String, Map<String, String>> types) {
    public static final TypeOverrides NONE = new TypeOverrides(Map.of());

    public Optional<String> type(String table, String column) {
        return Optional.ofNullable(types.getOrDefault(table, Map.of()).get(column));
    }
}
