package io.pgrelocate.engine.settings;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a migration leaves behind on purpose. The default drops what Zalando's Spilo image adds and
 * CloudNativePG images do not have.
 */
public record ObjectFilter(Set<String> excludedSchemas, Set<String> excludedExtensions) {

    public static final ObjectFilter SPILO_DEFAULT = new ObjectFilter(
            Set.of("metric_helpers", "user_management"), Set.of("pg_stat_kcache", "set_user"));

    public static final ObjectFilter NONE = new ObjectFilter(Set.of(), Set.of());

    public ObjectFilter {
        excludedSchemas = Set.copyOf(excludedSchemas);
        excludedExtensions = Set.copyOf(excludedExtensions);
    }

    /** Parses "schema:metric_helpers,extension:set_user"; a bare name means a schema. */
    public static ObjectFilter parse(List<String> entries) {
        Set<String> schemas = new java.util.HashSet<>();
        Set<String> extensions = new java.util.HashSet<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            if (e.startsWith("extension:")) {
                extensions.add(e.substring("extension:".length()));
            } else if (e.startsWith("schema:")) {
                schemas.add(e.substring("schema:".length()));
            } else {
                schemas.add(e);
            }
        }
        return new ObjectFilter(schemas, extensions);
    }

    public boolean keepsExtension(String name) {
        return !excludedExtensions.contains(name);
    }

    public boolean keepsSchema(String name) {
        return !excludedSchemas.contains(name);
    }

    /** SQL predicate on a schema-name column: user schemas that are not excluded. */
    public String userSchemaPredicate(String column) {
        String excluded = excludedSchemas.isEmpty() ? ""
                : " AND " + column + " NOT IN (" + excludedSchemas.stream().sorted()
                .map(ObjectFilter::literal).collect(Collectors.joining(", ")) + ")";
        return column + " <> 'information_schema' AND " + column + " NOT LIKE 'pg\\_%'" + excluded;
    }

    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        // sorted: Set.of iterates in an order that changes from one JVM to the next
        return "schemas " + new java.util.TreeSet<>(excludedSchemas) + ", extensions " + new java.util.TreeSet<>(excludedExtensions);
    }
}
