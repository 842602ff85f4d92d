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
    /** For an enum column: the default mapping (a PostgreSQL enum with the column's labels). */
    public static final String ENUM = "enum";

    public Optional<String> type(String table, String column) {
        return Optional.ofNullable(types.getOrDefault(table, Map.of()).get(column));
    }

    /**
     * The types a plan chose, as a mapping file: every column by source table and name, an enum column as
     * {@value #ENUM}. Given back as --mapping, it gives the same target.
     */
    public static void write(MysqlPlan plan, Path file) {
        Map<String, Map<String, String>> types = new java.util.LinkedHashMap<>();
        for (TablePlan t : plan.tables()) {
            Map<String, String> columns = new java.util.LinkedHashMap<>();
            t.columns().forEach(c -> columns.put(c.source(), c.type().isEnum() ? ENUM : c.type().pgType()));
            types.put(t.source(), columns);
        }
        try {
            new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), new TypeOverrides(types));
        } catch (IOException e) {
            throw new SettingsException("cannot write the mapping to " + file + ": " + e.getMessage());
        }
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
