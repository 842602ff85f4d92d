package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that have one lossless mapping are copied with it, without a mapping file, said in the notes,
 * and verified equal across engines; the mapping the tool wrote, given back, makes the same target.
 */
class MysqlLosslessTest {
    private static final String HARD = """
            CREATE TABLE hard (
              id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
              flag TINYINT(1) NOT NULL,
              born DATE NOT NULL, seen DATETIME(3) NOT NULL, stamp TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
              size ENUM('s','m','l') NOT NULL,
              doc JSON,
              note VARCHAR(20),
              changed TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6));
            SET SESSION sql_mode = '';
            INSERT INTO hard VALUES
             (1, 1, '2024-01-02', '2024-01-02 03:04:05.006', '2024-01-02 03:04:05', 's', '{"a": 1}', 'plain', '2020-01-01 00:00:00'),
             (2, 5, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'bogus', '{"nul": "a\\\\u0000b"}', 'x', '2020-01-01 00:00:00'),
             (9223372036854775810, -3, '2024-02-29', '2024-02-29 00:00:00', '2024-02-29 00:00:00', 'l', NULL, NULL, '2020-01-01 00:00:00')""";

    private static MariaDbServer maria;
    private static LocalPostgres pg;
    private static String sourceDb;

    @BeforeAll
    static void servers() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
        sourceDb = maria.freshDatabase("lossless");
        maria.execute(sourceDb, HARD);
    }

    private static MigrationReport migrate(ConnectionSpec target, TypeOverrides overrides, Path writeMapping) {
        MigrationReport r = new MysqlMigration(new MysqlMigrationSettings(maria.source(sourceDb), target, "app", 2, false,
                PgNames.Case.LOWER, overrides, writeMapping), System.out::println, Clock.systemUTC()).migrate(false);
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.verify().differences()).isEmpty();
        return r;
    }

    @Test
    void everyHardValueArrivesWithoutAMappingFileAndVerifiesEqual(@TempDir Path dir) throws Exception {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "lossless_target"));
        Path mapping = dir.resolve("mapping.yaml");
        MigrationReport r = migrate(target, TypeOverrides.NONE, mapping);
        assertThat(r.verify().warnings())
                .anySatisfy(n -> assertThat(n).contains("hard.flag").contains("2 rows hold values other than 0 and 1").contains("smallint"))
                .anySatisfy(n -> assertThat(n).contains("hard.born").contains("1 zero dates (e.g. id=2)").contains("-infinity"))
                .anySatisfy(n -> assertThat(n).contains("hard.size").contains("invalid value ''").contains("id=2"))
                .anySatisfy(n -> assertThat(n).contains("hard.id").contains("beyond bigint").contains("numeric(20)"))
                .anySatisfy(n -> assertThat(n).contains("hard.doc").contains("json"))
                .anySatisfy(n -> assertThat(n).contains("ON UPDATE CURRENT_TIMESTAMP").contains("trigger"));
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT flag || ' ' || born || ' ' || seen || ' ' || (stamp = '-infinity') || ' ' || size "
                    + "FROM app.hard WHERE id = 2")).isEqualTo("5 -infinity -infinity true ");
            assertThat(db.text("SELECT id::text FROM app.hard WHERE flag = -3")).isEqualTo("9223372036854775810");
            assertThat(db.text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'app.hard'::regclass "
                    + "AND attname = 'doc'")).isEqualTo("json");
        }
        assertThat(Files.readString(mapping)).contains("flag: \"smallint\"").contains("size: \"enum\"");

        ConnectionSpec again = TestServers.spec(pg, TestServers.freshDatabase(pg, "lossless_again"));
        migrate(again, TypeOverrides.read(mapping), null);
        assertThat(shape(again)).isEqualTo(shape(target));
    }

    @Test
    void anUpdateThatDoesNotSetAnOnUpdateColumnChangesIt() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "onupdate_target"));
        migrate(target, TypeOverrides.NONE, null);
        try (Db db = Db.connect(target)) {
            db.execute("UPDATE app.hard SET note = 'changed' WHERE id = 1");
            db.execute("UPDATE app.hard SET note = note WHERE id = 2");
            db.execute("UPDATE app.hard SET note = 'set', changed = '2001-01-01' WHERE flag = -3");
            assertThat(db.text("SELECT changed > now() - interval '1 minute' FROM app.hard WHERE id = 1")).isEqualTo("t");
            assertThat(db.text("SELECT changed::text FROM app.hard WHERE id = 2")).startsWith("2020-01-01");
            assertThat(db.text("SELECT changed::text FROM app.hard WHERE flag = -3")).startsWith("2001-01-01");
        }
    }

    /** Column types, enum labels and every row, as text. */
    private static List<String> shape(ConnectionSpec target) {
        try (Db db = Db.connect(target)) {
            return List.of(db.text("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull, ', ' "
                            + "ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'app.hard'::regclass AND attnum > 0"),
                    db.text("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"),
                    db.text("SELECT string_agg(h::text, E'\\n' ORDER BY id) FROM app.hard h"));
        }
    }
}
