package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.mysql.MysqlSchema.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The default MySQL → PostgreSQL type table (README "Type mapping"). A column's type can be
 * overridden in the mapping file; everything not listed here is unsupported and refused in preflight.
 */
public final class TypeMapping {
    private TypeMapping() {
    }

    /**
     * @param enumTypeName  the qualified, quoted name of the PostgreSQL enum made for this column
     * @param timeBeyondDay whether a {@code time} column holds values outside 00:00–24:00 (then: interval)
     */
    public static Optional<MappedType> map(Column c, String enumTypeName, boolean timeBeyondDay) {
        boolean unsigned = c.unsigned();
        MappedType t = switch (c.dataType()) {
            case "tinyint" -> c.columnType().startsWith("tinyint(1)") && !unsigned
                    ? MappedType.of("boolean", "tinyint(1) → boolean")
                    : MappedType.of("smallint", "tinyint → smallint");
            case "smallint" -> unsigned ? MappedType.of("integer", "smallint unsigned → integer")
                    : MappedType.of("smallint", "smallint → smallint");
            case "mediumint" -> MappedType.of("integer", "mediumint → integer");
            case "int", "integer" -> unsigned ? MappedType.of("bigint", "int unsigned → bigint")
                    : MappedType.of("integer", "int → integer");
            case "bigint" -> unsigned && c.autoIncrement() ? MappedType.of("bigint", "bigint unsigned AUTO_INCREMENT → bigint (next value checked < 2^63)")
                    : unsigned ? MappedType.of("numeric(20)", "bigint unsigned → numeric(20)")
                    : MappedType.of("bigint", "bigint → bigint");
            case "decimal", "numeric" -> MappedType.of("numeric(" + c.precision() + "," + c.scale() + ")", "decimal(p,s) → numeric(p,s)");
            case "float" -> MappedType.of("real", "float → real");
            case "double", "real" -> MappedType.of("double precision", "double → double precision");
            case "bit" -> MappedType.of("bit(" + c.precision() + ")", "bit(n) → bit(n)");
            case "year" -> MappedType.of("smallint", "year → smallint");
            case "date" -> MappedType.of("date", "date → date (zero dates → NULL)");
            case "datetime" -> MappedType.of("timestamp(" + fsp(c) + ")", "datetime → timestamp (wall clock as stored)");
            case "timestamp" -> MappedType.of("timestamptz(" + fsp(c) + ")", "timestamp → timestamptz (read in UTC)");
            case "time" -> timeBeyondDay ? MappedType.of("interval", "time beyond 24 h → interval")
                    : MappedType.of("time(" + fsp(c) + ")", "time → time");
            case "char", "varchar" -> MappedType.of("varchar(" + c.charLength() + ")", c.dataType() + "(n) → varchar(n)");
            case "tinytext", "text", "mediumtext", "longtext" -> MappedType.of("text", "text types → text (NUL bytes removed)");
            case "json" -> MappedType.of("jsonb", "json → jsonb");
            case "enum" -> new MappedType(enumTypeName, ValueKind.TEXT, labels(c.columnType()), "enum → PostgreSQL enum");
            case "set" -> MappedType.of("text[]", "set → text[]");
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> MappedType.of("bytea", "binary/blob → bytea");
            default -> null;
        };
        return Optional.ofNullable(t);
    }

    private static int fsp(Column c) {
        return c.datetimePrecision() == null ? 0 : c.datetimePrecision();
    }

    /** The labels of {@code enum('a','b''c')} or {@code set(...)}, in definition order. */
    static List<String> labels(String columnType) {
        String body = columnType.substring(columnType.indexOf('(') + 1, columnType.lastIndexOf(')'));
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (cur == null) {
                if (ch == '\'') {
                    cur = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                cur.append('\'');
                i++;
            } else if (ch == '\\' && i + 1 < body.length()) {
                cur.append(body.charAt(++i));
            } else if (ch == '\'') {
                out.add(cur.toString());
                cur = null;
            } else {
                cur.append(ch);
            }
        }
        return out;
    }
}
