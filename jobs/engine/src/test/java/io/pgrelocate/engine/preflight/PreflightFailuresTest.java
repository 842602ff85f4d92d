package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every preflight failure stops the migration before anything is written: the report names the
 * fix in one line, the exit code names the class, and the target holds what it held before.
 */
class PreflightFailuresTest {
    private static LocalPostgres pg;
    private static String sourceDb;

    @BeforeAll
    static void source() {
        pg = TestServers.pg15();
        sourceDb = TestServers.freshDatabase(pg, "pf_src");
        pg.executeSql(sourceDb, TestServers.resource("/fixtures/full-coverage.sql"));
    }

    private static MigrationReport migrate(ConnectionSpec source, ConnectionSpec target, CopyOptions options) {
        return new Migration(new MigrationSettings(source, target, options, false), line -> { }, Clock.systemUTC()).migrate(false);
    }

    private static MigrationReport migrate(ConnectionSpec target) {
        return migrate(TestServers.spec(pg, sourceDb), target, TestServers.copyOptions(TestServers.workDir(), false));
    }

    private static List<String> userObjects(ConnectionSpec spec) {
        try (Db db = Db.connect(spec)) {
            return new Introspector(db, ObjectFilter.NONE).userObjects(1000);
        }
    }

    private static void assertOneLineError(MigrationReport report, ExitCode code, String... fragments) {
        assertThat(report.exitCode()).as(report.error()).isEqualTo(code.code());
        assertThat(report.error()).doesNotContain("\n").contains(fragments);
        assertThat(report.copy()).as("nothing was copied").isNull();
    }

    @Test
    void wrongPassword() {
        String db = TestServers.freshDatabase(pg, "pf_pw");
        MigrationReport r = migrate(TestServers.spec(pg, db).withPassword(Secret.of("wrong")));
        assertOneLineError(r, ExitCode.AUTHENTICATION, "password authentication failed", "check the user and the password");
        assertThat(r.error()).doesNotContain("wrong");
        assertThat(userObjects(TestServers.spec(pg, db))).isEmpty();
    }

    @Test
    void unreachableHost() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ConnectionSpec target = ConnectionSpec.parse("postgresql://app@127.0.0.1:" + closedPort + "/app?sslmode=disable");
        assertOneLineError(migrate(target), ExitCode.UNREACHABLE, "cannot connect to app@127.0.0.1:" + closedPort, "check host, port");
    }

    @Test
    void missingTargetDatabase() {
        assertOneLineError(migrate(TestServers.spec(pg, "no_such_db")), ExitCode.BAD_SETTINGS, "does not exist");
    }

    @Test
    void targetNotEmpty() {
        String db = TestServers.freshDatabase(pg, "pf_full");
        pg.executeSql(db, "CREATE TABLE leftover(id int); INSERT INTO leftover VALUES (1)");
        MigrationReport r = migrate(TestServers.spec(pg, db));
        assertOneLineError(r, ExitCode.TARGET_NOT_EMPTY, "is not empty", "relation public.leftover", "--allow-non-empty");
        assertThat(userObjects(TestServers.spec(pg, db))).containsExactly("relation public.leftover");
    }

    @Test
    void targetOlderThanSource() {
        LocalPostgres older = TestServers.pg14();
        String db = TestServers.freshDatabase(older, "pf_old");
        MigrationReport r = migrate(TestServers.spec(older, db));
        assertOneLineError(r, ExitCode.VERSION, "runs PostgreSQL 14", "older than the source's 15", "use a target of major 15 or newer");
        assertThat(userObjects(TestServers.spec(older, db))).isEmpty();
    }

    @Test
    void extensionMissingOnTarget() throws IOException {
        // A real extension installed on a real PostgreSQL 14 source that the PostgreSQL 15 target does not ship.
        LocalPostgres source = TestServers.pg14();
        Path extDir = source.binaries().home().resolve("share/postgresql/extension");
        Files.writeString(extDir.resolve("pgrelocate_probe.control"), "default_version = '1.0'\nrelocatable = true\n");
        Files.writeString(extDir.resolve("pgrelocate_probe--1.0.sql"), "CREATE FUNCTION pgrelocate_probe() RETURNS int LANGUAGE sql AS 'SELECT 1';\n");
        String src = TestServers.freshDatabase(source, "pf_ext_src");
        source.executeSql(src, "CREATE EXTENSION pgrelocate_probe; CREATE TABLE t(id int)");
        String db = TestServers.freshDatabase(pg, "pf_ext");
        MigrationReport r = migrate(TestServers.spec(source, src), TestServers.spec(pg, db),
                TestServers.copyOptions(TestServers.workDir(), false));
        assertOneLineError(r, ExitCode.MISSING_EXTENSION, "pgrelocate_probe", "not available on target", "--exclude extension:NAME");
        assertThat(userObjects(TestServers.spec(pg, db))).isEmpty();
    }

    @Test
    void pgDumpMissing() {
        String db = TestServers.freshDatabase(pg, "pf_tools");
        CopyOptions noTools = new CopyOptions(2, TestServers.workDir(), 0, false, ObjectFilter.SPILO_DEFAULT,
                new PgTools(TestServers.workDir()), true);
        MigrationReport r = migrate(TestServers.spec(pg, sourceDb), TestServers.spec(pg, db), noTools);
        assertOneLineError(r, ExitCode.TOOLS, "pg_dump/pg_restore not found", "install postgresql-client-15");
        assertThat(userObjects(TestServers.spec(pg, db))).isEmpty();
    }

    @Test
    void notEnoughSpaceForTheDump() throws Exception {
        Path small = Files.createTempDirectory("pgrelocate-small-");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0,
                "SKIPPED: cannot mount a 16 KiB tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        try {
            String db = TestServers.freshDatabase(pg, "pf_space");
            MigrationReport r = migrate(TestServers.spec(pg, sourceDb), TestServers.spec(pg, db),
                    TestServers.copyOptions(small.resolve("work"), false));
            assertOneLineError(r, ExitCode.NO_SPACE, "free, the dump needs up to", "--work-dir");
            assertThat(userObjects(TestServers.spec(pg, db))).isEmpty();
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void keepingOwnershipNeedsRolePrivilege() {
        pg.executeSql("postgres", """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pf_limited') THEN
                    CREATE ROLE pf_limited LOGIN PASSWORD 'limited-pw';
                  END IF;
                END $$""");
        String db = TestServers.freshDatabase(pg, "pf_own");
        pg.executeSql("postgres", "ALTER DATABASE " + db + " OWNER TO pf_limited");
        ConnectionSpec limited = ConnectionSpec.parse(pg.uri(db).replace("postgres@", "pf_limited@"))
                .withPassword(Secret.of("limited-pw"));
        LocalPostgres older = TestServers.pg14();
        String src14 = TestServers.freshDatabase(older, "pf_own14");
        older.executeSql(src14, """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'only_on_source') THEN CREATE ROLE only_on_source NOLOGIN; END IF;
                END $$;
                CREATE TABLE owned(id int); ALTER TABLE owned OWNER TO only_on_source""");
        MigrationReport r = migrate(TestServers.spec(older, src14), limited, TestServers.copyOptions(TestServers.workDir(), true));
        assertOneLineError(r, ExitCode.PRIVILEGES, "only_on_source", "may not create roles", "--no-keep-ownership");
        assertThat(userObjects(limited)).isEmpty();
    }
}
