package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult.Status;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;
import io.pgrelocate.engine.testing.TlsServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target's endpoints against a real server with TLS (certificate from a CA made in the test)
 * and a read-only database: what passes, what warns, and that each failure names the endpoint and the fix.
 */
class EndpointChecksTest {
    private static TlsServer tls;
    private static String db;
    private static String readOnlyDb;

    @BeforeAll
    static void servers() {
        Assumptions.assumeTrue(TlsServer.opensslAvailable(), "needs /usr/bin/openssl to make certificates");
        tls = TlsServer.get();
        LocalPostgres pg = tls.server();
        db = TestServers.freshDatabase(pg, "ep");
        readOnlyDb = TestServers.freshDatabase(pg, "ep_ro");
        pg.executeSql("postgres", "ALTER DATABASE " + readOnlyDb + " SET default_transaction_read_only = on");
    }

    private static List<CheckResult> check(boolean requireTls, ConnectionSpec rw, ConnectionSpec ro) {
        return new EndpointChecks(requireTls, line -> { }).check(rw, ro);
    }

    private static CheckResult named(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + results));
    }

    @Test
    void verifyFullWithTheRightCaPasses() {
        ConnectionSpec rw = tls.spec(db, "verify-full", tls.caCert());
        List<CheckResult> r = check(true, rw, null);

        assertThat(r).extracting(CheckResult::status).containsOnly(Status.OK);
        assertThat(named(r, "rw tls").message()).startsWith(rw.display() + ": TLSv1.3")
                .contains("server certificate verified against " + tls.caCert(), "verify-full");
    }

    @Test
    void verifyFullWithAWrongCaFailsAndNamesTheCaFile() {
        ConnectionSpec rw = tls.spec(db, "verify-full", tls.wrongCaCert());
        CheckResult r = named(check(true, rw, null), "rw tls");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.message()).startsWith(rw.display() + ": TLS handshake failed")
                .contains("not signed by the CA in " + tls.wrongCaCert()).doesNotContain("\n");
    }

    @Test
    void tlsWithoutACaIsInUseButTheUnverifiedCertificateIsAWarning() {
        CheckResult r = named(check(true, tls.spec(db, "require", null), null), "rw tls");

        assertThat(r.status()).isEqualTo(Status.WARNING);
        assertThat(r.message()).contains("TLSv1.3", "server certificate is not verified (sslmode=require)",
                "sslmode=verify-full", "PGRELOCATE_TARGET_URI");
    }

    @Test
    void noTlsFailsWhenTlsIsRequired() {
        ConnectionSpec rw = tls.spec(db, "disable", null);
        CheckResult r = named(check(true, rw, null), "rw tls");

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.message()).startsWith(rw.display() + ": TLS is not in use (sslmode=disable)")
                .contains("PGRELOCATE_REQUIRE_TLS=false");
    }

    @Test
    void noTlsIsOnlyAWarningWhenNotRequired() {
        List<CheckResult> r = check(false, tls.spec(db, "disable", null), null);

        assertThat(named(r, "rw tls").status()).isEqualTo(Status.WARNING);
        assertThat(r).allMatch(CheckResult::passed);
    }

    @Test
    void writableReadOnlyEndpointFails() {
        ConnectionSpec ro = tls.spec(db, "verify-full", tls.caCert());
        CheckResult r = named(check(true, tls.spec(db, "verify-full", tls.caCert()), ro), "ro read-only");

        assertThat(r.failure()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(r.message()).startsWith(ro.display() + " accepts writes").contains("PGRELOCATE_TARGET_RO_URI");
    }

    @Test
    void readOnlyEndpointPassesWithTls() {
        List<CheckResult> r = check(true, tls.spec(db, "verify-full", tls.caCert()), tls.spec(readOnlyDb, "verify-full", tls.caCert()));

        assertThat(r).extracting(CheckResult::name)
                .containsExactly("rw endpoint", "rw tls", "ro endpoint", "ro tls", "ro read-only");
        assertThat(r).extracting(CheckResult::status).containsOnly(Status.OK);
        assertThat(named(r, "ro read-only").message()).contains("default_transaction_read_only=on");
    }

    @Test
    void unreachableReadOnlyEndpointNamesTheCnpgFix() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ConnectionSpec ro = ConnectionSpec.parse("postgresql://postgres@127.0.0.1:" + closed + "/" + db + "?sslmode=disable");
        CheckResult r = named(check(false, tls.spec(db, "disable", null), ro), "ro endpoint");

        assertThat(r.failure()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(r.message()).contains("127.0.0.1:" + closed, "-ro Service has no endpoints", "instances: 1",
                "unset PGRELOCATE_TARGET_RO_URI");
    }

    @Test
    void wrongPasswordKeepsTheAuthenticationExitCode() {
        ConnectionSpec rw = tls.spec(db, "require", null).withPassword(Secret.of("not-it"));
        CheckResult r = named(check(true, rw, null), "rw endpoint");

        assertThat(r.failure()).isEqualTo(ExitCode.AUTHENTICATION);
        assertThat(r.message()).contains("password authentication failed").doesNotContain("not-it");
    }

    @Test
    void clusterNameComesFromTheServiceHost() {
        assertThat(EndpointChecks.cluster(ConnectionSpec.parse("postgresql://app@mastodon-db-ro.apps.svc:5432/app")))
                .isEqualTo("mastodon-db");
        assertThat(EndpointChecks.cluster(ConnectionSpec.parse("postgresql://app@10.0.0.7/app"))).isEqualTo("<cluster>");
    }
}
