package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.postgres.Db;

import java.util.List;

/** Sets each identity column to continue after both the source's next AUTO_INCREMENT value and the rows copied. */
final class Identities {
    private Identities() {
    }

    static void restart(Db target, List<TablePlan> tables) {
        for (TablePlan t : tables) {
            for (ColumnPlan c : t.columns()) {
                if (!c.identity()) {
                    continue;
                }
                String col = PgNames.quote(c.target());
                long afterRows = target.longValue("SELECT COALESCE(max(" + col + "), 0) + 1 FROM " + t.qualified());
                long next = Math.max(afterRows, t.nextIdentity() == null ? 1 : t.nextIdentity());
                // setval rather than ALTER … RESTART: no lock on the table, which verify may be reading
                target.execute("SELECT setval(pg_get_serial_sequence(" + MysqlPlanner.literal(t.qualified()) + ", "
                        + MysqlPlanner.literal(c.target()) + "), " + next + ", false)");
            }
        }
    }
}
