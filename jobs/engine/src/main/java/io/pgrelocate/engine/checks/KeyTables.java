package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.List;
import java.util.Optional;

/**
 * The tables that must exist and hold rows for a dump to be worth anything: named by the user, or
 * by default the five largest. Catches a source URI that points at the wrong (empty, staging)
 * database and a table the exclusions would leave out of the dump. Read-only.
 */
public final class KeyTables {
    public static final int DEFAULT_COUNT = 5;

    private final List<String> configured;
    private final ObjectFilter filter;

    /** @param configured {@code schema.table} names (a bare name is in {@code public}); empty: the largest tables */
    public KeyTables(List<String> configured, ObjectFilter filter) {
        this.configured = configured.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.filter = filter;
        this.configured.forEach(KeyTables::split);
    }

    /** One result per key table, or a single warning when there is no table with data to choose from. */
    public List<CheckResult> check(Db db, List<TableInfo> tables) {
        if (!configured.isEmpty()) {
            return configured.stream().map(name -> check(db, name, " (PGRELOCATE_KEY_TABLES)")).toList();
        }
        List<TableInfo> largest = tables.stream().filter(t -> !t.materializedView() && t.bytes() > 0)
                .limit(DEFAULT_COUNT).toList();
        if (largest.isEmpty()) {
            return List.of(CheckResult.warning("key tables", db.spec().display() + " has no table with data to check:"
                    + " if it should, fix PGRELOCATE_SOURCE_URI; name the tables that must not be empty in PGRELOCATE_KEY_TABLES"));
        }
        return largest.stream().map(t -> check(db, t.qualifiedName(), " (one of the " + DEFAULT_COUNT + " largest, "
                + Durations.bytes(t.bytes()) + ")")).toList();
    }

    private CheckResult check(Db db, String qualified, String why) {
        String[] n = split(qualified);
        String name = "key table " + n[0] + "." + n[1];
        if (!filter.keepsSchema(n[0])) {
            return CheckResult.failed(name, ExitCode.CHECK_FAILED, "it is in schema " + n[0] + ", which PGRELOCATE_EXCLUDE leaves"
                    + " out of the dump: take it out of PGRELOCATE_KEY_TABLES or out of PGRELOCATE_EXCLUDE");
        }
        Optional<String> sqlName = db.list("SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'm')", rs -> rs.getString(1), n[0], n[1])
                .stream().findFirst();
        if (sqlName.isEmpty()) {
            return CheckResult.failed(name, ExitCode.CHECK_FAILED, "no such table in " + db.spec().display()
                    + ": fix PGRELOCATE_KEY_TABLES (schema.table) or PGRELOCATE_SOURCE_URI");
        }
        if (!db.one("SELECT EXISTS (SELECT 1 FROM " + sqlName.get() + ")", rs -> rs.getBoolean(1))) {
            return CheckResult.failed(name, ExitCode.CHECK_FAILED, "it is empty in " + db.spec().display()
                    + ": is PGRELOCATE_SOURCE_URI the database in use?");
        }
        return CheckResult.ok(name, "exists and has rows" + why);
    }

    /** {@code schema.table} → {schema, table}; a bare name is in {@code public}. */
    private static String[] split(String qualified) {
        int dot = qualified.indexOf('.');
        String[] n = dot < 0 ? new String[] {"public", qualified}
                : new String[] {qualified.substring(0, dot), qualified.substring(dot + 1)};
        if (n[0].isEmpty() || n[1].isEmpty()) {
            throw new SettingsException("PGRELOCATE_KEY_TABLES: '" + qualified + "' is not schema.table");
        }
        return n;
    }
}
