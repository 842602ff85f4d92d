package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window skips the schema fingerprint while the catalogs' version holds: every DDL the
 * fingerprint sees must move the version, and row traffic, VACUUM and ANALYZE must not.
 */
class CatalogVersionTest {
    private static final String SCHEMA = """
            CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            CREATE TABLE items(id serial PRIMARY KEY, note text, score positive, m mood DEFAULT 'ok');
            CREATE TABLE other(id int PRIMARY KEY); INSERT INTO items(note, score) SELECT 'n' || g, g FROM generate_series(1, 100) g
            """;
    final LocalPostgres pg = TestServers.pg15();

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE items ADD COLUMN extra int", "ALTER TABLE items DROP COLUMN note", "ALTER TABLE items ALTER note SET NOT NULL",
            "ALTER TABLE items ALTER note SET DEFAULT 'x'", "ALTER TABLE items ALTER m DROP DEFAULT", "ALTER TABLE items ALTER note TYPE varchar(50)",
            "ALTER TABLE items RENAME note TO remark", "ALTER TABLE items RENAME TO things", "ALTER TABLE items ADD CHECK (id > 0)",
            "CREATE INDEX items_note ON items (note)", "ALTER TABLE other ADD FOREIGN KEY (id) REFERENCES items", "ALTER TABLE items SET UNLOGGED",
            "ALTER TYPE mood ADD VALUE 'glad'", "ALTER DOMAIN positive ADD CONSTRAINT small CHECK (VALUE < 1000000)", "CREATE TABLE later(id int)", "DROP TABLE other",
            "ALTER TABLE items DROP CONSTRAINT items_pkey"})
    void everyDdlTheFingerprintSeesMovesTheVersion(String ddl) {
        String database = TestServers.freshDatabase(pg, "cv");
        pg.executeSql(database, SCHEMA);
        try (Db db = Db.connect(TestServers.spec(pg, database))) {
            SchemaFingerprint fingerprint = SchemaFingerprint.take(db, ObjectFilter.NONE);
            CatalogVersion version = CatalogVersion.read(db, ObjectFilter.NONE);
            pg.executeSql(database, ddl);
            assertThat(fingerprint.changesTo(SchemaFingerprint.take(db, ObjectFilter.NONE))).as("the fingerprint sees " + ddl).isNotEmpty();
            assertThat(CatalogVersion.read(db, ObjectFilter.NONE)).as(ddl).isNotEqualTo(version);
        }
    }

    @Test
    void rowsVacuumAndAnalyzeLeaveTheVersionAsItWas() {
        String database = TestServers.freshDatabase(pg, "cv");
        pg.executeSql(database, SCHEMA);
        try (Db db = Db.connect(TestServers.spec(pg, database))) {
            CatalogVersion version = CatalogVersion.read(db, ObjectFilter.NONE);
            pg.executeSql(database, "INSERT INTO items(note, score) SELECT 'm' || g, g FROM generate_series(1, 5000) g; "
                    + "UPDATE items SET note = 'u' WHERE id < 50; DELETE FROM items WHERE id > 4000");
            pg.executeSql(database, "VACUUM ANALYZE items");
            assertThat(CatalogVersion.read(db, ObjectFilter.NONE)).isEqualTo(version);
        }
    }
}
