package io.pgrelocate.engine.integrity;

import java.util.List;

/**
 * One foreign key and how many rows of its table point at no row of the referenced table.
 *
 * @param constraint        {@code schema.table.constraint}
 * @param table             the referencing (child) table, {@code schema.table}
 * @param referencedTable   the referenced (parent) table
 * @param orphans           child rows whose non-null key has no parent (with MATCH FULL, also keys that are partly null)
 */
public record ForeignKeyOrphans(String constraint, String table, List<String> columns, String referencedTable,
                                List<String> referencedColumns, long orphans) {
    public String describe() {
        return constraint + ": " + table + " (" + String.join(", ", columns) + ") → " + referencedTable
                + " (" + String.join(", ", referencedColumns) + "): " + orphans + (orphans == 1 ? " orphan row" : " orphan rows");
    }
}
