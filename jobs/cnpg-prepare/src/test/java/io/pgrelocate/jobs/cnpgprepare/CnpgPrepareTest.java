package io.pgrelocate.jobs.cnpgprepare;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.testing.TlsServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prepare step against real servers: a plain source, a target with TLS (certificate from a CA
 * made in the test) and a read-only database standing in for the -ro endpoint.
 */
class CnpgPrepareTest {
    private static LocalPostgres pg;
    private static TlsServer tls;
    private static String sourceDb;
    private static String readOnlyDb;

    @BeforeAll
    static void servers() {
        Assumptions.assumeTrue(TlsServer.opensslAvailable(), "needs /usr/bin/openssl to make certificates");
        pg = TestServers.pg15();
        sourceDb = TestServers.freshDatabase(pg, "cp_src");
        pg.executeSql(sourceDb, "CREATE TABLE accounts(id int PRIMARY KEY); INSERT INTO accounts VALUES (1)");
        tls = TlsServer.get();
        readOnlyDb = TestServers.freshDatabase(tls.server(), "cp_ro");
        tls.server().executeSql("postgres", "ALTER DATABASE " + readOnlyDb + " SET default_transaction_read_only = on");
    }

    private static CnpgPrepareReport prepare(ConnectionSpec target, ConnectionSpec ro, boolean requireTls) {
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, sourceDb), target,
                TestServers.copyOptions(TestServers.workDir(), false), false);
        return new CnpgPrepare(settings, ro, requireTls, line -> { }, Clock.systemUTC()).run();
    }

    private static ConnectionSpec verified(String database) {
        return tls.spec(database, "verify-full", tls.caCert());
    }

    @Test
    void emptyTargetWithVerifiedTlsAndAReadOnlyEndpointIsReady() {
        CnpgPrepareReport r = prepare(verified(TestServers.freshDatabase(tls.server(), "cp_ok")), verified(readOnlyDb), true);

        assertThat(r.passed()).as(r.summary()).isTrue();
        assertThat(r.verdict().exitCode()).isZero();
        assertThat(r.summary()).contains("preflight\n", "endpoints\n", "  ok    ro read-only: ", "job     cnpg-prepare SUCCESS (exit 0)");
        assertThat(r.outcome().json()).contains("\"passed\" : true", "\"exitCode\" : 0", "\"endpoints\"", "\"preflight\"")
                .doesNotContain(TestServers.PASSWORD);
    }

    @Test
    void targetWithoutTlsFailsWith17NamingTheEndpointWhenTlsIsRequired() {
        ConnectionSpec plain = tls.spec(TestServers.freshDatabase(tls.server(), "cp_plain"), "disable", null);
        CnpgPrepareReport r = prepare(plain, null, true);

        assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.CHECK_FAILED.code());
        assertThat(r.verdict().error()).startsWith("rw tls: " + plain.display() + ": TLS is not in use").doesNotContain("\n");
        assertThat(r.summary()).contains("error   rw tls: ");
    }

    @Test
    void targetWithoutTlsOnlyWarnsWhenTlsIsNotRequired() {
        CnpgPrepareReport r = prepare(tls.spec(TestServers.freshDatabase(tls.server(), "cp_warn"), "disable", null), null, false);

        assertThat(r.passed()).as(r.summary()).isTrue();
        assertThat(r.summary()).contains("  WARN  rw tls: ");
    }

    @Test
    void writableReadOnlyEndpointFailsWith17() {
        ConnectionSpec target = verified(TestServers.freshDatabase(tls.server(), "cp_rw"));
        CnpgPrepareReport r = prepare(target, target, true);

        assertThat(r.outcome().exitCode()).isEqualTo(17);
        assertThat(r.verdict().error()).startsWith("ro read-only: " + target.display() + " accepts writes");
    }

    @Test
    void preflightFailureKeepsItsOwnExitCode() {
        String full = TestServers.freshDatabase(tls.server(), "cp_full");
        tls.server().executeSql(full, "CREATE TABLE leftover(id int)");
        CnpgPrepareReport r = prepare(tls.spec(full, "disable", null), null, true);

        assertThat(r.outcome().exitCode()).as("target not empty (6) comes before TLS (17)").isEqualTo(ExitCode.TARGET_NOT_EMPTY.code());
        assertThat(r.verdict().error()).contains("is not empty (holds relation public.leftover)");
        assertThat(r.summary()).contains("  FAIL  rw tls: ");
    }

    @Test
    void anUnreachableTargetIsReportedOnceWithoutASecondRoundOfEndpointChecks() {
        ConnectionSpec closed = ConnectionSpec.parse("postgresql://postgres@127.0.0.1:1/app?sslmode=require");
        CnpgPrepareReport r = prepare(closed, closed, true);

        assertThat(r.outcome().exitCode()).isEqualTo(ExitCode.UNREACHABLE.code());
        assertThat(r.endpoints()).isEmpty();
    }
}
