package io.pgrelocate.jobs.backuptest;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trial dump of a real source: into the volume or, with none, to a discarded stream; sized, timed;
 * key tables checked first; bad credentials and missing or empty key tables end it early.
 */
class BackupTestTest {
    private static LocalPostgres pg;
    private static String db;

    @BeforeAll
    static void source() {
        pg = TestServers.pg15();
        db = TestServers.freshDatabase(pg, "bt_src");
        pg.executeSql(db, """
                CREATE TABLE t(id int, pad text); INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;
                CREATE TABLE small(id int); INSERT INTO small VALUES (1);
                CREATE TABLE unused(id int);
                """);
    }

    private static BackupTestReport run(Path workDir, List<String> keyTables, List<String> lines) {
        return new BackupTest(TestServers.spec(pg, db), TestServers.copyOptions(workDir, false), keyTables, lines::add,
                Clock.systemUTC()).run();
    }

    @Test
    void dumpsIntoTheVolumeReportsSizeAndThroughputAndRemovesTheDump() {
        Path work = TestServers.workDir();
        List<String> lines = new ArrayList<>();
        BackupTestReport r = run(work, List.of(), lines);

        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.mode()).isEqualTo(BackupTestReport.TO_VOLUME);
        assertThat(r.dumpBytes()).isGreaterThan(20000L * 200);
        assertThat(r.bytesPerSecond()).isPositive();
        assertThat(r.keyTables()).extracting(CheckResult::name).as("the largest tables with data, not the empty one")
                .containsExactly("key table public.t", "key table public.small");
        assertThat(Files.exists(work.resolve(BackupTest.DIR_NAME))).isFalse();
        assertThat(r.summary()).contains("pg_dump -Fd with 2 jobs into " + work.resolve(BackupTest.DIR_NAME));
        assertThat(r.json()).doesNotContain(TestServers.PASSWORD);
        assertThat(lines).noneMatch(l -> l.contains(TestServers.PASSWORD));
    }

    @Test
    void withoutAVolumeTheDumpIsStreamedCountedAndDiscarded() {
        Path noVolume = TestServers.workDir().resolve("not-mounted");
        List<String> lines = new ArrayList<>();
        BackupTestReport r = run(noVolume, List.of("public.t"), lines);

        assertThat(r.exitCode()).as(r.error()).isZero();
        assertThat(r.mode()).isEqualTo(BackupTestReport.TO_STREAM);
        assertThat(r.dumpBytes()).as("pg_dump -Fc without compression holds the rows").isGreaterThan(20000L * 200);
        assertThat(r.jobs()).isEqualTo(1);
        assertThat(Files.exists(noVolume)).as("nothing is written where no volume is").isFalse();
        assertThat(r.summary()).contains("pg_dump -Fc to a stream, counted and discarded");
        assertThat(lines).anyMatch(l -> l.contains("--format=custom")).noneMatch(l -> l.contains(TestServers.PASSWORD));
    }

    @Test
    void missingKeyTableEndsTheTestWithExit17NamingIt() {
        BackupTestReport r = run(TestServers.workDir(), List.of("public.t", "public.acounts"), new ArrayList<>());

        assertThat(r.exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code()).isEqualTo(17);
        assertThat(r.error()).startsWith("key table public.acounts: no such table in postgres@127.0.0.1:" + pg.port() + "/" + db)
                .contains("PGRELOCATE_KEY_TABLES").doesNotContain("\n");
        assertThat(r.dumpBytes()).as("nothing was dumped").isNull();
    }

    @Test
    void emptyKeyTableEndsTheTestWithExit17NamingIt() {
        BackupTestReport r = run(TestServers.workDir(), List.of("unused"), new ArrayList<>());

        assertThat(r.exitCode()).isEqualTo(17);
        assertThat(r.error()).startsWith("key table public.unused: it is empty in ").doesNotContain("\n");
        assertThat(r.summary()).contains("FAIL  key table public.unused");
    }

    @Test
    void keyTableInAnExcludedSchemaFailsBecauseTheDumpWouldLeaveItOut() {
        BackupTestReport r = run(TestServers.workDir(), List.of("metric_helpers.index_bloat"), new ArrayList<>());

        assertThat(r.exitCode()).isEqualTo(17);
        assertThat(r.error()).startsWith("key table metric_helpers.index_bloat: it is in schema metric_helpers, which PGRELOCATE_EXCLUDE leaves out");
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        BackupTestReport r = new BackupTest(TestServers.spec(pg, db).withPassword(Secret.of("wrong")),
                TestServers.copyOptions(TestServers.workDir(), false), List.of(), line -> { }, Clock.systemUTC()).run();
        assertThat(r.exitCode()).isEqualTo(ExitCode.AUTHENTICATION.code());
        assertThat(r.error()).contains("password authentication failed");
    }
}
