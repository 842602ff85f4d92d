package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.preflight.Check;

import java.util.List;

/**
 * Everything the copy will do, decided before anything is written.
 *
 * @param preData   schema, enum types, tables without secondary indexes or foreign keys
 * @param postData  keys, indexes, checks, foreign keys, comments: after the data
 * @param ownedTypes the enum types the plan creates (dropped by --clean with the tables)
 * @param problems  what stops the copy (unsupported types, values a mapping would change), each with its fix
 * @param notes     what the copy converts or leaves out, for the report
 */
public record MysqlPlan(String schema, List<TablePlan> tables, List<String> preData, List<PostStatement> postData,
                        List<String> ownedTypes, List<Check> problems, List<String> notes) {

    /**
     * A post-data statement; an {@code optional} one (a CHECK whose expression may not translate) only notes its failure.
     *
     * @param table the (qualified) table it builds on, made right after that table's rows; null for a foreign key, made
     *              after every table's
     */
    public record PostStatement(String table, String sql, boolean optional, String what) {
    }
}
