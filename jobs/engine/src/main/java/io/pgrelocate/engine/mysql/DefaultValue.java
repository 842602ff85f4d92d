package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.mysql.MysqlSchema.Column;

import java.util.Locale;
import java.util.Optional;

/**
 * A column default in PostgreSQL syntax. MariaDB shows literals quoted ({@code 'abc'}, {@code NULL},
 * {@code current_timestamp()}); MySQL 8 shows them bare and marks expressions DEFAULT_GENERATED.
 * Anything other than a literal or CURRENT_TIMESTAMP is left out (and noted by the planner).
 */
final class DefaultValue {
    private DefaultValue() {
    }

    /** Empty when there is no default; {@code null} inside when the default cannot be converted. */
    static Optional<String> of(Column c, ValueKind kind, MysqlSource.Flavour flavour) {
        String raw = c.defaultValue();
        if (raw == null || (flavour == MysqlSource.Flavour.MARIADB && raw.equalsIgnoreCase("NULL"))) {
            return Optional.empty();
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.startsWith("current_timestamp") || lower.equals("now()")) {
            return Optional.of("CURRENT_TIMESTAMP");
        }
        String literal;
        if (flavour == MysqlSource.Flavour.MARIADB) {
            if (raw.startsWith("'") && raw.endsWith("'") && raw.length() >= 2) {
                literal = raw.substring(1, raw.length() - 1).replace("''", "'").replace("\\\\", "\\");
            } else if (raw.matches("-?[0-9.eE+-]+")) {
                literal = raw;
            } else if (raw.matches("b'[01]+'")) {
                literal = raw.substring(2, raw.length() - 1);
            } else {
                return Optional.of("\0");
            }
        } else {
            if (c.extra() != null && c.extra().contains("DEFAULT_GENERATED")) {
                return Optional.of("\0");
            }
            literal = raw;
        }
        if (literal.startsWith("0000-00-00")) {
            return Optional.of("\0");
        }
        return Optional.of(switch (kind) {
            case INTEGER, NUMERIC, FLOAT4, FLOAT8 -> literal;
            case BOOLEAN -> literal.equals("0") ? "false" : "true";
            case BIT -> "B" + quote(literal);
            case ARRAY -> quote("{" + literal + "}");
            case BYTES -> "\0";
            default -> quote(literal);
        });
    }

    /** A default the planner could not convert is returned as this marker. */
    static boolean unconvertible(String sql) {
        return "\0".equals(sql);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
