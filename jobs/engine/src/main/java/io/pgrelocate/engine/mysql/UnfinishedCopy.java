package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.postgres.Db;

import java.util.ArrayList;
import java.util.List;

/**
 * The tables and types of a copy carry a comment until the copy's last step: a run killed half-way (no
 * cleanup ran) leaves them marked, and the next run recognises them as its own leftovers and copies
 * again instead of refusing a non-empty target.
 */
final class UnfinishedCopy {
    static final String MARK = "pgrelocate: unfinished copy, dropped by the next run";

    private UnfinishedCopy() {
    }

    /** The statements that create the plan's objects and mark them, as one transaction. */
    static String createMarked(MysqlPlan plan) {
        List<String> sql = new ArrayList<>();
        sql.add("BEGIN");
        sql.addAll(plan.preData());
        plan.tables().forEach(t -> sql.add("COMMENT ON TABLE " + t.qualified() + " IS " + MysqlPlanner.literal(MARK)));
        plan.ownedTypes().forEach(t -> sql.add("COMMENT ON TYPE " + t + " IS " + MysqlPlanner.literal(MARK)));
        sql.add("COMMIT");
        return String.join(";\n", sql);
    }

    /** Whether any of the objects a plan creates exists with the mark: then the present ones are a killed run's. */
    static boolean leftBehind(Db target, List<String> qualifiedTables, List<String> qualifiedTypes) {
        for (String t : qualifiedTables) {
            if (MARK.equals(target.text("SELECT obj_description(to_regclass(?), 'pg_class')", t))) {
                return true;
            }
        }
        for (String t : qualifiedTypes) {
            if (MARK.equals(target.text("SELECT obj_description(to_regtype(?), 'pg_type')", t))) {
                return true;
            }
        }
        return false;
    }

    /** Removes the mark (the source's own comments, set by post-data, stay). */
    static void unmark(Db target, MysqlPlan plan) {
        String mark = MysqlPlanner.literal(MARK);
        for (TablePlan t : plan.tables()) {
            target.execute("DO $m$ BEGIN IF obj_description(" + MysqlPlanner.literal(t.qualified()) + "::regclass, 'pg_class') = " + mark
                    + " THEN COMMENT ON TABLE " + t.qualified() + " IS NULL; END IF; END $m$");
        }
        plan.ownedTypes().forEach(t -> target.execute("COMMENT ON TYPE " + t + " IS NULL"));
    }
}
