package io.pgrelocate.controller;

import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares source and target without changing either.",
                "Per table the row count and an order-independent digest of every row's text; sequences, large objects, extensions and schema objects",
                "(tables, indexes, constraints, views, materialized views, functions, triggers, policies, types).",
                "Exit code 12 when anything differs; each difference is named by object.",
                "A mysql:// or mariadb:// source is compared across engines: per table the count and a digest of canonical values",
                "(by the mapped type), and the differing rows named by key with the values that differ counted per column."})
class VerifyCommand extends LocalCommand {
    @Mixin
    MysqlOptions mysql;

    @Override
    MysqlMigrationSettings mysqlSettings() {
        return mysql.settings(this, false);
    }

    @Override
    MigrationReport run(Runbook runbook) {
        return runbook.verify();
    }
}
