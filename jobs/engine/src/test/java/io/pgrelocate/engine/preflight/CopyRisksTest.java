package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the copy would hit halfway is refused by preflight, before anything is written. */
class CopyRisksTest {
    private static final LocalPostgres PG = TestServers.pg15();

    private static MigrationReport migrate(ConnectionSpec source, ConnectionSpec target, int jobs, boolean keepOwnership, ObjectFilter filter) {
        CopyOptions options = new CopyOptions(jobs, TestServers.workDir(), 0, keepOwnership, filter, PgTools.locate(null), true);
        return new Migration(new MigrationSettings(source, target, options, false), line -> { }, Clock.systemUTC()).migrate(false);
    }

    private static ConnectionSpec as(String role, String database) {
        ConnectionSpec s = TestServers.spec(PG, database);
        return new ConnectionSpec(s.host(), s.port(), database, role, Secret.of(TestServers.PASSWORD), s.sslMode(), null);
    }

    /** Roles are cluster-wide and the server is shared by the tests of this JVM: create once. */
    private static void role(String name, String attributes) {
        PG.executeSql("postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + name + "') THEN CREATE ROLE "
                + name + " " + attributes + "; END IF; END $$");
    }

    private static void assertRefusedBeforeCopy(MigrationReport r, ExitCode code, String... fragments) {
        assertThat(r.exitCode()).as(r.error()).isEqualTo(code.code());
        assertThat(r.error()).doesNotContain("\n").contains(fragments);
        assertThat(r.copy()).isNull();
    }

    @Test
    void aSourceTableTheUserCannotReadIsRefused() {
        String src = TestServers.freshDatabase(PG, "priv_src");
        String dst = TestServers.freshDatabase(PG, "priv_dst");
        role("priv_reader", "LOGIN PASSWORD '" + TestServers.PASSWORD.replace("'", "''") + "'");
        PG.executeSql(src, "CREATE TABLE open_t(id int); CREATE TABLE secret_t(id int); CREATE SEQUENCE secret_seq;"
                + "GRANT SELECT ON open_t TO priv_reader");
        MigrationReport r = migrate(as("priv_reader", src), TestServers.spec(PG, dst), 2, false, ObjectFilter.NONE);
        assertRefusedBeforeCopy(r, ExitCode.PRIVILEGES, "priv_reader may not read", "table public.secret_t", "sequence public.secret_seq", "GRANT SELECT");
    }

    @Test
    void moreJobsThanFreeConnectionsIsRefused() {
        String src = TestServers.freshDatabase(PG, "conn_src");
        String dst = TestServers.freshDatabase(PG, "conn_dst");
        MigrationReport r = migrate(TestServers.spec(PG, src), TestServers.spec(PG, dst), 150, false, ObjectFilter.NONE);
        assertRefusedBeforeCopy(r, ExitCode.BAD_SETTINGS, "--jobs 150 needs 152 connections to the source", "lower --jobs to");
    }

    @Test
    void anExclusionThatLeavesADependencyDanglingIsRefused() {
        String src = TestServers.freshDatabase(PG, "excl_src");
        String dst = TestServers.freshDatabase(PG, "excl_dst");
        PG.executeSql(src, "CREATE SCHEMA extra; CREATE TABLE extra.codes(code int PRIMARY KEY);"
                + "CREATE VIEW public.code_list AS SELECT code FROM extra.codes;"
                + "CREATE TABLE public.uses(code int REFERENCES extra.codes)");
        MigrationReport r = migrate(TestServers.spec(PG, src), TestServers.spec(PG, dst), 2, false, ObjectFilter.parse(List.of("schema:extra")));
        assertRefusedBeforeCopy(r, ExitCode.BAD_SETTINGS, "excluding schema(s) 'extra'", "view public.code_list needs table extra.codes",
                "constraint uses_code_fkey on public.uses needs table extra.codes");
    }

    @Test
    void keepOwnershipWhenTheTargetUserCannotBecomeTheOwnersIsRefused() {
        String src = TestServers.freshDatabase(PG, "own_src");
        String dst = TestServers.freshDatabase(PG, "own_dst");
        role("own_app", "NOLOGIN");
        role("own_deployer", "LOGIN CREATEROLE PASSWORD '" + TestServers.PASSWORD.replace("'", "''") + "'");
        PG.executeSql("postgres", "GRANT ALL ON DATABASE " + dst + " TO own_deployer");
        PG.executeSql(src, "CREATE TABLE owned(id int); ALTER TABLE owned OWNER TO own_app");
        MigrationReport r = migrate(TestServers.spec(PG, src), as("own_deployer", dst), 2, true, ObjectFilter.NONE);
        assertRefusedBeforeCopy(r, ExitCode.PRIVILEGES, "own_app", "own_deployer is not a member", "no role was created");
    }
}
