package io.pgrelocate.engine.mysql;

import java.util.List;

/**
 * A column's PostgreSQL type. {@code enumLabels} is set when the type is an enum the target needs
 * created first; {@code rule} says which row of the mapping table chose it (for the plan).
 */
public record MappedType(String pgType, ValueKind kind, List<String> enumLabels, String rule) {
    public static MappedType of(String pgType, String rule) {
        return new MappedType(pgType, ValueKind.of(pgType), null, rule);
    }

    public boolean isEnum() {
        return enumLabels != null;
    }
}
