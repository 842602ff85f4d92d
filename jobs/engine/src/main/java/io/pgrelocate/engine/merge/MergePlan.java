package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.preflight.Check;

import java.util.List;

/** What a merge will do, decided (and checked) before anything is written. Tables are in load order. */
record MergePlan(String schema, List<TargetTable> tables, List<ForeignKeyPlan> foreignKeys, List<Check> problems, List<String> notes) {

    /** A target table: its columns (types decided), key, policy, and the feeds in the mapping's order. */
    record TargetTable(String schema, String name, List<ColumnPlan> columns, List<String> key, MergeMapping.Policy policy,
                       List<Feed> feeds) {
        String qualified() {
            return PgNames.quote(schema) + "." + PgNames.quote(name);
        }

        String display() {
            return schema + "." + name;
        }
    }

    /**
     * One source table feeding a target table; {@code columns} run from source names to target names
     * with the target's types. {@code sourceTable} is a MySQL table name or a quoted PostgreSQL one.
     */
    record Feed(String source, boolean mysql, String sourceTable, String display, List<ColumnPlan> columns) {
    }

    record ForeignKeyPlan(String table, List<String> columns, String referencedTable, List<String> referencedColumns, String onDelete) {
    }
}
