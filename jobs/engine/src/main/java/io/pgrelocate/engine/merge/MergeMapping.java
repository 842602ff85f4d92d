package io.pgrelocate.engine.merge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The merge mapping file (README "Merging several sources"): the sources, and per target table the
 * source tables that feed it, column renames, casts, the conflict key and its policy.
 */
public record MergeMapping(String schema, List<Source> sources, List<Table> tables, List<String> loadOrder) {

    /** A source: {@code uri} is mysql://, mariadb:// or postgresql:// without a password; {@code schema} for PostgreSQL. */
    public record Source(String name, String uri, String schema, String passwordEnv, Path passwordFile) {
    }

    /**
     * @param key        target columns naming a row (the target's primary key)
     * @param onConflict first (the first source in {@code from} wins), last, or fail (the default)
     * @param casts      target column → PostgreSQL type, instead of the type the first feeding source gives
     */
    public record Table(String name, List<Feed> from, List<String> key, String onConflict, Map<String, String> casts) {
        public Policy policy() {
            return Policy.parse(onConflict, name);
        }
    }

    /** @param columns source column → target column (renames); {@code skip}: source columns left out */
    public record Feed(String source, String table, Map<String, String> columns, List<String> skip) {
    }

    public enum Policy {
        FIRST, LAST, FAIL;

        static Policy parse(String value, String table) {
            if (value == null) {
                return FAIL;
            }
            return switch (value.toLowerCase()) {
                case "first" -> FIRST;
                case "last" -> LAST;
                case "fail" -> FAIL;
                default -> throw new SettingsException("table " + table + ": onConflict '" + value + "': use first, last or fail");
            };
        }
    }

    public static MergeMapping read(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .findAndRegisterModules();
        MergeMapping m;
        try {
            m = yaml.readValue(file.toFile(), MergeMapping.class);
        } catch (UnrecognizedPropertyException e) {
            throw new SettingsException("mapping " + file + ": unknown key '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds() + ")");
        } catch (IOException e) {
            throw new SettingsException("mapping " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        m.validate(file);
        return m;
    }

    private void validate(Path file) {
        if (schema == null || sources == null || sources.isEmpty() || tables == null || tables.isEmpty()) {
            throw new SettingsException("mapping " + file + " needs schema, sources and tables");
        }
        for (Source s : sources) {
            if (s.name() == null || s.uri() == null) {
                throw new SettingsException("mapping " + file + ": every source needs name and uri");
            }
        }
        for (Table t : tables) {
            if (t.name() == null || t.from() == null || t.from().isEmpty() || t.key() == null || t.key().isEmpty()) {
                throw new SettingsException("mapping " + file + ": table " + t.name() + " needs name, from and key");
            }
            t.policy();
            for (Feed f : t.from()) {
                if (sources.stream().noneMatch(s -> s.name().equals(f.source()))) {
                    throw new SettingsException("mapping " + file + ": table " + t.name() + " reads from source '" + f.source()
                            + "', which the sources do not list: add it under sources or fix the name");
                }
            }
        }
    }
}
