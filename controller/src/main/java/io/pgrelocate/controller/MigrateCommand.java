package io.pgrelocate.controller;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.report.MigrationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes (besides those of pgrelocate --help):%n",
        exitCodeList = {" 0:copied and verified; with --switchover: the target is live",
                "19:stopped (SIGTERM/SIGINT); the fence was lifted",
                "20:the source could not be fenced (a privilege, a session that would not go, a prepared transaction)"},
        description = {"Preflight, then copy the database (pg_dump -Fd -j N, pg_restore -j N), then verify it.",
                "The source is only read. On any difference the exit code is 12 and each difference is named.",
                "A mysql:// or mariadb:// source is copied by COPY into one schema (--target-schema) and verified across engines.",
                "",
                "With --switchover the copy runs in the switchover window: the source is fenced (it refuses writes "
                        + "from everyone: ALTER DATABASE … SET default_transaction_read_only = on, CONNECT revoked from PUBLIC "
                        + "and every role, every other session terminated and named), copied, verified, and the moment the "
                        + "target may take writes this exact line is printed for scripts to wait for:",
                "  " + SwitchoverWindow.TARGET_LIVE,
                "The fence stays on the source (no split brain) until it is removed; pgrelocate rollback --source URI lifts "
                        + "it, also after a killed run. Any failure before that line lifts the fence itself. The source role "
                        + "must be a superuser, or own the database and have pg_signal_backend. --dry-run prints the window's plan.",
                "",
                "Example:",
                "  PGRELOCATE_SOURCE_PASSWORD=... PGRELOCATE_TARGET_PASSWORD=... \\",
                "  pgrelocate migrate --source postgresql://app@old-db:5432/app?sslmode=require \\",
                "                     --target postgresql://app@new-db-rw:5432/app?sslmode=require --jobs 4 --report report.json",
                "  pgrelocate migrate --source mysql://app@legacy:3306/shop --target postgresql://app@new-db-rw/app \\",
                "                     --target-schema shop --mapping types.yaml"})
class MigrateCommand extends WindowCommand {
    @Option(names = "--dry-run", description = "Run preflight and show what would happen; copy nothing.")
    boolean dryRun;

    @Option(names = "--switchover", description = "Run the switchover window: fence the source, copy, verify, hand over to the target (see above).")
    boolean switchover;

    @Mixin
    MysqlOptions mysql;

    @Option(names = "--clean", description = "MySQL/MariaDB sources: drop and recreate the tables and types this copy creates, if they exist.")
    boolean clean;

    @Override
    MysqlMigrationSettings mysqlSettings() {
        return mysql.settings(this, clean);
    }

    @Override
    MigrationReport run(Runbook runbook) {
        return runbook.migrate(dryRun, switchover ? Applications.switchWithoutApplications() : Applications.NONE);
    }
}
