package io.pgrelocate.controller;

import io.pgrelocate.engine.Migration;
import io.pgrelocate.engine.report.MigrationReport;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares source and target without changing either.",
                "Per table the row count and an order-independent digest of every row's text; sequences, large objects, extensions and schema objects",
                "(tables, indexes, constraints, views, materialized views, functions, triggers, policies, types).",
                "Exit code 12 when anything differs; each difference is named by object."})
class VerifyCommand extends LocalCommand {
    @Override
    MigrationReport run(Migration migration) {
        return migration.verify();
    }
}
