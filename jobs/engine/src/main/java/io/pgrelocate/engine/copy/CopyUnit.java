package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.TableInfo;

/**
 * One COPY from source to target: a whole table, or one range of a split table.
 *
 * @param columns the copied columns, quoted and comma-separated (generated columns are left to the target); empty: all
 * @param binary  binary COPY (every column's type is built in), else text
 * @param where   the range of a split table, null for the whole table
 * @param bytes   an estimate of the on-disk size the unit covers, to schedule the biggest first
 */
record CopyUnit(TableInfo table, String columns, boolean binary, String where, int piece, int pieces, long bytes) {

    boolean whole() {
        return where == null;
    }

    String copyOut() {
        String format = " TO STDOUT (FORMAT " + format() + ")";
        if (whole()) {
            return "COPY " + table.sqlName() + columnList() + format;
        }
        return "COPY (SELECT " + (columns.isEmpty() ? "*" : columns) + " FROM ONLY " + table.sqlName()
                + " WHERE " + where + ")" + format;
    }

    /** FREEZE only where the same transaction truncated the table, as PostgreSQL requires. */
    String copyIn(boolean freeze) {
        return "COPY " + table.sqlName() + columnList() + " FROM STDIN (FORMAT " + format() + (freeze ? ", FREEZE" : "") + ")";
    }

    String format() {
        return binary ? "binary" : "text";
    }

    String label() {
        return table.qualifiedName() + (whole() ? "" : " (range " + piece + "/" + pieces + ")");
    }

    private String columnList() {
        return columns.isEmpty() ? "" : " (" + columns + ")";
    }
}
