package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.local.LocalPostgres;

/** A source whose restore takes minutes and whose dump takes seconds: for tests that stop a run mid-restore. */
public final class SlowRestore {
    private SlowRestore() {
    }

    /** An index whose expression sleeps 0.1 s a row, but only when evaluated in {@code target}. */
    public static void source(LocalPostgres pg, String source, String target) {
        pg.executeSql(source, "CREATE FUNCTION slow(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN "
                + "IF current_database() = '" + target + "' THEN PERFORM pg_sleep(0.1); END IF; RETURN i; END $$;"
                + "CREATE TABLE items(id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 3000) g;"
                + "CREATE INDEX items_slow ON items (slow(id))");
    }
}
