package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.SslMode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks the target's endpoints as the applications will use them: the read-write one (CNPG's
 * {@code <cluster>-rw}) and, if given, the read-only one ({@code <cluster>-ro}): reachable, login
 * accepted, TLS in use, the server certificate verified when a CA is configured, and the read-only
 * endpoint really refusing writes. Read-only itself.
 */
public final class EndpointChecks {
    private static final String RW = "rw";
    private static final String RO = "ro";

    private final boolean requireTls;
    private final Consumer<String> out;

    /** @param requireTls whether a session without TLS fails the check (true) or only warns */
    public EndpointChecks(boolean requireTls, Consumer<String> out) {
        this.requireTls = requireTls;
        this.out = out;
    }

    /** @param ro the read-only endpoint, or null when there is none to check */
    public List<CheckResult> check(ConnectionSpec rw, ConnectionSpec ro) {
        List<CheckResult> results = new ArrayList<>();
        endpoint(RW, rw, results);
        if (ro != null) {
            endpoint(RO, ro, results);
        }
        results.forEach(r -> out.accept("endpoints:" + r.line().substring(1)));
        return results;
    }

    private void endpoint(String role, ConnectionSpec spec, List<CheckResult> results) {
        String name = role + " endpoint";
        try (Db db = Db.connect(spec)) {
            // Read before this session is made read-only below: it shows the endpoint's own default.
            CheckResult readOnly = role.equals(RO) ? readOnly(spec, db) : null;
            db.execute("SET default_transaction_read_only = on");  // checking never writes
            results.add(CheckResult.ok(name, spec.display() + ": reachable, login accepted, PostgreSQL "
                    + new Introspector(db, ObjectFilter.NONE).version()));
            results.add(tls(role, spec, TlsSession.of(db)));
            if (readOnly != null) {
                results.add(readOnly);
            }
        } catch (DbConnectException e) {
            results.add(unreachable(role, spec, e));
        } catch (DbException e) {
            results.add(CheckResult.failed(name, ExitCode.FAILED, spec.display() + ": " + e.getMessage()));
        }
    }

    private CheckResult unreachable(String role, ConnectionSpec spec, DbConnectException e) {
        String name = role + " endpoint";
        if (e.reason() == DbConnectException.Reason.TLS) {
            String fix = spec.sslMode().verifiesCertificate()
                    ? "the server certificate is not signed by the CA in " + spec.sslRootCert()
                    + " or does not name the host: use the cluster's CA (key ca.crt of the CNPG Secret " + cluster(spec) + "-ca)"
                    + (spec.sslMode() == SslMode.VERIFY_FULL ? " and the Service's DNS name as host" : "")
                    : "check sslmode and that the server has TLS enabled";
            return CheckResult.failed(role + " tls", ExitCode.CHECK_FAILED, spec.display() + ": TLS handshake failed ("
                    + e.getCause().getMessage().lines().findFirst().orElse("") + "): " + fix);
        }
        if (role.equals(RO) && e.reason() == DbConnectException.Reason.UNREACHABLE) {
            return CheckResult.failed(name, e.exitCode(), e.getMessage() + "; a CNPG " + cluster(spec) + "-ro Service has no "
                    + "endpoints while the cluster runs instances: 1: use " + cluster(spec) + "-r, add instances, "
                    + "or unset PGRELOCATE_TARGET_RO_URI");
        }
        return CheckResult.failed(name, e.exitCode(), e.getMessage());
    }

    private CheckResult tls(String role, ConnectionSpec spec, TlsSession tls) {
        String name = role + " tls";
        String uriSetting = role.equals(RO) ? "PGRELOCATE_TARGET_RO_URI" : "PGRELOCATE_TARGET_URI";
        if (!tls.ssl()) {
            String message = spec.display() + ": TLS is not in use (sslmode=" + spec.sslMode().libpqName() + "): "
                    + verifyFull(spec, uriSetting);
            return requireTls
                    ? CheckResult.failed(name, ExitCode.CHECK_FAILED, message + ", or PGRELOCATE_REQUIRE_TLS=false to accept it")
                    : CheckResult.warning(name, message + " (accepted: PGRELOCATE_REQUIRE_TLS=false)");
        }
        if (!spec.sslMode().verifiesCertificate()) {
            return CheckResult.warning(name, spec.display() + ": " + tls + ", but the server certificate is not verified (sslmode="
                    + spec.sslMode().libpqName() + "): " + verifyFull(spec, uriSetting));
        }
        return CheckResult.ok(name, spec.display() + ": " + tls + ", server certificate verified against " + spec.sslRootCert()
                + (spec.sslMode() == SslMode.VERIFY_FULL ? " (verify-full: CA and host name)" : " (verify-ca: CA only, host name not checked)"));
    }

    private CheckResult readOnly(ConnectionSpec spec, Db db) {
        boolean standby = db.one("SELECT pg_catalog.pg_is_in_recovery()", rs -> rs.getBoolean(1));
        if (standby) {
            return CheckResult.ok("ro read-only", spec.display() + ": a hot standby (pg_is_in_recovery() is true)");
        }
        if (db.text("SELECT pg_catalog.current_setting('transaction_read_only')").equals("on")) {
            return CheckResult.ok("ro read-only", spec.display() + ": not a standby, but its transactions are read-only"
                    + " (default_transaction_read_only=on)");
        }
        return CheckResult.failed("ro read-only", ExitCode.CHECK_FAILED, spec.display() + " accepts writes: it is a primary"
                + " (pg_is_in_recovery() is false, transaction_read_only is off): point PGRELOCATE_TARGET_RO_URI at "
                + cluster(spec) + "-ro (replicas only), or unset it");
    }

    private static String verifyFull(ConnectionSpec spec, String uriSetting) {
        return "set sslmode=verify-full and sslrootcert=/path/to/ca.crt (key ca.crt of the CNPG Secret " + cluster(spec)
                + "-ca, mounted) in " + uriSetting;
    }

    /** The CNPG cluster name from a Service host such as {@code app-db-ro.ns.svc}, for the hints. */
    static String cluster(ConnectionSpec spec) {
        String label = spec.host().split("\\.", 2)[0];
        for (String suffix : List.of("-rw", "-ro", "-r")) {
            if (label.endsWith(suffix) && label.length() > suffix.length()) {
                return label.substring(0, label.length() - suffix.length());
            }
        }
        return "<cluster>";
    }
}
