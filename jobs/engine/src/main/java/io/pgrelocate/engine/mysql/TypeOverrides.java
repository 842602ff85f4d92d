package io.pgrelocate.engine.mysql;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Per-column PostgreSQL types from the mapping file, by source table and column name:
 * {@code types: {every_type: {flag: smallint}}}.
 */
public record TypeOverrides(Map<String, Map<String, String>> types) {
    public static final TypeOverrides NONE = new TypeOverrides(Map.of());

    public Optional<String> type(String table, String column) {
        return Optional.ofNullable(types.getOrDefault(table, Map.of()).get(column));
    }

    /** Reads {@code types:} from a YAML mapping file; any other key is refused, so a typo is not ignored. */
    public static TypeOverrides read(Path file) {
        try {
            TypeOverrides t = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(file.toFile(), TypeOverrides.class);
            return t.types() == null ? NONE : t;
        } catch (IOException e) {
            throw new SettingsException("mapping " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + " (expected: types: {TABLE: {COLUMN: POSTGRESQL_TYPE}})");
        }
    }
}
