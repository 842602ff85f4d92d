package io.pgrelocate.engine.mysql;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Target identifiers: the case rule (MySQL table names are case-sensitive on Linux, PostgreSQL
 * folds unquoted names to lower case), quoting (every identifier is quoted, so reserved words such
 * as {@code order} or {@code user} work), and names unique per schema within 63 bytes.
 */
public final class PgNames {
    public enum Case { LOWER, PRESERVE }

    private static final int MAX_BYTES = 63;
    private final Case rule;
    private final Set<String> taken = new HashSet<>();

    public PgNames(Case rule) {
        this.rule = rule;
    }

    public static Case parseCase(String value) {
        return switch (value == null ? "lower" : value.toLowerCase(Locale.ROOT)) {
            case "lower" -> Case.LOWER;
            case "preserve" -> Case.PRESERVE;
            default -> throw new io.pgrelocate.engine.settings.SettingsException(
                    "identifier case '" + value + "': use lower or preserve");
        };
    }

    /** A table or column name under the case rule. */
    public String name(String mysqlName) {
        return rule == Case.LOWER ? mysqlName.toLowerCase(Locale.ROOT) : mysqlName;
    }

    /** Reserves a schema-wide name (a table, index, constraint or type), adding a suffix when it is taken. */
    public String unique(String wanted) {
        String base = truncate(wanted, MAX_BYTES);
        String candidate = base;
        for (int i = 2; !taken.add(candidate); i++) {
            String suffix = "_" + i;
            candidate = truncate(base, MAX_BYTES - suffix.length()) + suffix;
        }
        return candidate;
    }

    public static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The name PostgreSQL keeps: at most 63 bytes (it truncates longer identifiers). */
    static String fitted(String name) {
        return truncate(name, MAX_BYTES);
    }

    private static String truncate(String s, int maxBytes) {
        String out = s;
        while (out.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
