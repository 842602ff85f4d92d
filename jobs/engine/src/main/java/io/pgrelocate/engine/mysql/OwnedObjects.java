package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.postgres.Db;

import java.util.List;

/**
 * Drops exactly the tables and types a run creates (--clean), never anything else: no CASCADE, so a
 * view or a foreign key of someone else's that depends on them stops the drop with PostgreSQL's
 * own message. Foreign keys between the owned tables go first, so their order does not matter.
 */
public final class OwnedObjects {
    private OwnedObjects() {
    }

    public static void drop(Db target, List<String> qualifiedTables, List<String> qualifiedTypes) {
        for (String t : qualifiedTables) {
            if (target.text("SELECT to_regclass(?)::text", t) == null) {
                continue;
            }
            List<String> fks = target.list("SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = ?::regclass "
                    + "AND confrelid = ANY (SELECT to_regclass(x) FROM unnest(?::text[]) x)", rs -> rs.getString(1), t,
                    qualifiedTables.toArray(new String[0]));
            for (String fk : fks) {
                target.execute("ALTER TABLE " + t + " DROP CONSTRAINT " + PgNames.quote(fk));
            }
        }
        for (String t : qualifiedTables) {
            target.execute("DROP TABLE IF EXISTS " + t);
        }
        for (String t : qualifiedTypes) {
            target.execute("DROP TYPE IF EXISTS " + t);
        }
    }
}
