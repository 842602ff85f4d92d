package io.pgrelocate.controller;

import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.report.MigrationReport;
import picocli.CommandLine.Command;

@Command(name = "preflight", mixinStandardHelpOptions = true,
        description = {"Checks, without changing anything, that a migration can run.", "",
                "Both servers reachable and logged into, target major >= source major, pg_dump/pg_restore new enough,",
                "target database empty, every source extension available on the target, room for the dump.",
                "Each failure is one line that names the fix; the exit code names the class."})
class PreflightCommand extends LocalCommand {
    @Override
    MigrationReport run(Runbook runbook) {
        return runbook.preflight();
    }
}
