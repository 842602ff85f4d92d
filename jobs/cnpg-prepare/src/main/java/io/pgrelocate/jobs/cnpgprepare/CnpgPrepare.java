package io.pgrelocate.jobs.cnpgprepare;

import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.EndpointChecks;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * Is the target ready? The engine's preflight (both servers answer, target major ≥ source, pg_dump
 * new enough, target empty, extensions available, room for the dump), then the target's endpoints
 * as the applications will use them (TLS, certificate, the read-only endpoint). Read-only on both sides.
 */
public final class CnpgPrepare {
    private final MigrationSettings settings;
    private final ConnectionSpec readOnly;
    private final boolean requireTls;
    private final Consumer<String> out;
    private final Clock clock;

    /** @param readOnly the target's read-only endpoint, or null */
    public CnpgPrepare(MigrationSettings settings, ConnectionSpec readOnly, boolean requireTls, Consumer<String> out, Clock clock) {
        this.settings = settings;
        this.readOnly = readOnly;
        this.requireTls = requireTls;
        this.out = out;
        this.clock = clock;
    }

    public CnpgPrepareReport run() {
        MigrationReport preflight = new Migration(settings, out, clock).preflight();
        // A target preflight could not log into would only fail the same way again, after another timeout.
        boolean targetDown = preflight.preflight() != null && preflight.preflight().stream()
                .anyMatch(c -> !c.passed() && c.name().equals("target"));
        if (targetDown) {
            out.accept("endpoints: not checked, the target is not reachable or refused the login");
        }
        List<CheckResult> endpoints = targetDown ? List.of() : new EndpointChecks(requireTls, out).check(settings.target(), readOnly);
        return new CnpgPrepareReport(preflight, endpoints,
                Verdict.of(preflight.exitCode(), preflight.result(), preflight.error(), endpoints));
    }
}
