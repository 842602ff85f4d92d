package io.pgrelocate.engine.mysql;

import java.util.Locale;

/**
 * The family of a target column's PostgreSQL type: it decides how a source value is written into
 * COPY and how both sides' values are rendered canonically for verify.
 */
public enum ValueKind {
    INTEGER, NUMERIC, FLOAT4, FLOAT8, BOOLEAN, TEXT, BYTES, BIT, DATE, TIMESTAMP, TIMESTAMPTZ, TIME, INTERVAL, JSON, ARRAY;

    /** The kind of a PostgreSQL type as written in DDL or by format_type (enums and other types are TEXT). */
    public static ValueKind of(String pgType) {
        String t = pgType.toLowerCase(Locale.ROOT).trim();
        if (t.endsWith("[]")) {
            return ARRAY;
        }
        String base = t.replaceAll("\\(.*\\)", "").trim();
        return switch (base) {
            case "smallint", "integer", "int", "bigint", "int2", "int4", "int8" -> INTEGER;
            case "numeric", "decimal" -> NUMERIC;
            case "real", "float4" -> FLOAT4;
            case "double precision", "float8" -> FLOAT8;
            case "boolean", "bool" -> BOOLEAN;
            case "bytea" -> BYTES;
            case "bit", "bit varying", "varbit" -> BIT;
            case "date" -> DATE;
            case "timestamp", "timestamp without time zone" -> TIMESTAMP;
            case "timestamptz", "timestamp with time zone" -> TIMESTAMPTZ;
            case "time", "time without time zone" -> TIME;
            case "interval" -> INTERVAL;
            case "json", "jsonb" -> JSON;
            default -> TEXT;
        };
    }

    /** Whether a MySQL value of this kind is read as bytes rather than as the server's text. */
    public boolean readsBytes() {
        return this == BYTES || this == BIT;
    }
}
