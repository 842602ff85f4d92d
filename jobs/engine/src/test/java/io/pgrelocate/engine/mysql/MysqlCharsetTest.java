package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.MariaDbServer;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes that are not valid in a column's declared charset (a single-byte charset takes any byte: ascii 0xE9,
 * cp1250 0x81, cp1251 0x98) would reach PostgreSQL as '?' if read as text: preflight names each such column with
 * the count and an example key before any table exists; the bytea mapping it proposes keeps the stored bytes, and
 * latin1, where every byte has a character, is copied as text without loss.
 */
class MysqlCharsetTest {
    private static MariaDbServer maria;
    private static LocalPostgres pg;
    private static String sourceDb;

    @BeforeAll
    static void servers() {
        maria = MariaDbServer.shared();
        pg = TestServers.pg15();
        sourceDb = maria.freshDatabase("charsets");
        // NAMES binary: the server stores the bytes as sent, as an old client or a raw import would have
        maria.execute(sourceDb, "CREATE TABLE legacy (id INT PRIMARY KEY, a VARCHAR(10) CHARACTER SET ascii, "
                + "w VARCHAR(10) CHARACTER SET cp1250, c TEXT CHARACTER SET cp1251, l VARCHAR(10) CHARACTER SET latin1, "
                + "fine VARCHAR(10) CHARACTER SET cp1250);\n"
                + "SET NAMES binary;\n"
                + "INSERT INTO legacy VALUES (1, 'plain', 'plain', 'plain', X'8081E9', X'8A'),"
                + " (2, X'61E962', X'618162', X'619862', X'8D', 'ok'), (3, 'a?b', X'81', X'98', 'x', 'ok'), (4, NULL, NULL, NULL, NULL, NULL)");
    }

    private static MigrationReport migrate(ConnectionSpec target, TypeOverrides overrides) {
        return new MysqlMigration(new MysqlMigrationSettings(maria.source(sourceDb), target, "app", 2, false, PgNames.Case.LOWER,
                overrides), System.out::println, Clock.systemUTC()).migrate(false);
    }

    @Test
    void bytesWithoutACharacterInTheColumnsCharsetAreNamedBeforeAnyTableExists() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "charsets_refused"));
        MigrationReport r = migrate(target, TypeOverrides.NONE);
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(r.preflight().stream().filter(c -> !c.passed()).map(c -> c.message()).toList())
                .anySatisfy(m -> assertThat(m).contains("legacy.a: 1 values hold bytes not valid in ascii (e.g. id=2)")
                        .contains("types: {legacy: {a: bytea}}"))
                .anySatisfy(m -> assertThat(m).contains("legacy.w: 2 values hold bytes not valid in cp1250 (e.g. id="))
                .anySatisfy(m -> assertThat(m).contains("legacy.c: 2 values hold bytes not valid in cp1251 (e.g. id="))
                // latin1 has a character for every byte; a literal '?' and valid cp1250 bytes are no finding
                .noneSatisfy(m -> assertThat(m).contains("legacy.l"))
                .noneSatisfy(m -> assertThat(m).contains("legacy.fine"));
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT to_regnamespace('app')::text")).isNull();
        }
    }

    @Test
    void theProposedByteaMappingKeepsTheStoredBytesAndLatin1ArrivesAsItsCharacters() {
        ConnectionSpec target = TestServers.spec(pg, TestServers.freshDatabase(pg, "charsets_bytea"));
        MigrationReport r = migrate(target, new TypeOverrides(Map.of("legacy", Map.of("a", "bytea", "w", "bytea", "c", "bytea"))));
        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.verify().differences()).isEmpty();
        try (Db db = Db.connect(target)) {
            assertThat(db.text("SELECT encode(a, 'hex') || ' ' || encode(w, 'hex') || ' ' || encode(c, 'hex') FROM app.legacy WHERE id = 2"))
                    .isEqualTo("61e962 618162 619862");
            assertThat(db.text("SELECT encode(a, 'escape') FROM app.legacy WHERE id = 3")).isEqualTo("a?b");
            // MySQL's latin1 is cp1252 with its undefined bytes as C1 controls: 0x80 €, 0x81 U+0081, 0xE9 é
            assertThat(db.text("SELECT l FROM app.legacy WHERE id = 1")).isEqualTo("€\u0081é");
            assertThat(db.text("SELECT l FROM app.legacy WHERE id = 2")).isEqualTo("\u008d");
            assertThat(db.text("SELECT fine FROM app.legacy WHERE id = 1")).isEqualTo("Š");
        }
    }
}
