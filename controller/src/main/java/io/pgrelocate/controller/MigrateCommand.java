package io.pgrelocate.controller;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.switchover.SwitchoverWindow;
import io.pgrelocate.engine.verify.VerifyMode;
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
class MigrateCommand extends LocalCommand {
    @Option(names = "--dry-run", description = "Run preflight and show what would happen; copy nothing.")
    boolean dryRun;

    @Option(names = "--switchover", description = "Run the switchover window: fence the source, copy, verify, hand over to the target (see above).")
    boolean switchover;

    @Option(names = "--verify", paramLabel = "MODE",
            description = "With --switchover: before-thaw (the default for dump and stream) proves everything before the target "
                    + "takes a write; at-switch (the default for logical) "
                    + "checks only the sequences in the window, and row counts and content digests after the switch, in snapshots "
                    + "both sides exported at the switch point, so the window does not grow with the data. A difference found "
                    + "after the switch is reported loudly with the rollback command (exit 12).")
    String verify;

    @Option(names = "--schema-hook", paramLabel = "COMMAND",
            description = "With --switchover: the applications' own schema migration, run against the target after the "
                    + "verification and before the target goes live, e.g. \"kratos migrate sql -e --yes\". Split at spaces, no "
                    + "shell; it connects through PGHOST/PGPORT/PGDATABASE/PGUSER and a pgpass file (no password in its "
                    + "environment); its output is followed. A failure lifts the fence and leaves the source as it was (exit 23).")
    String schemaHook;

    @Option(names = "--max-lag", paramLabel = "SIZE", defaultValue = "16MB",
            description = "With --strategy logical: the window opens once the target is this close to the source, in WAL "
                    + "(default: ${DEFAULT-VALUE}); the smaller, the shorter the drain inside the window.")
    String maxLag;

    @Option(names = "--catch-up-timeout", paramLabel = "DURATION", defaultValue = "24h", converter = Durations.class,
            description = "With --strategy logical: how long the bulk copy and catch-up may take, while the applications run "
                    + "(default: ${DEFAULT-VALUE}); past it nothing was frozen and the slot is dropped.")
    java.time.Duration catchUpTimeout;

    @Option(names = "--replica-identity-full",
            description = "With --strategy logical: consent to ALTER TABLE … REPLICA IDENTITY FULL on the source's tables that "
                    + "have no primary key or usable unique index (otherwise preflight lists them and refuses).")
    boolean replicaIdentityFull;

    @Option(names = "--migration", paramLabel = "NAME", defaultValue = "local",
            description = "With --strategy logical: names the publication, slot and subscription pgrelocate_<NAME> "
                    + "(default: ${DEFAULT-VALUE}), so two migrations from one source keep apart and rollback finds them.")
    String migrationName;

    @Override
    LogicalSettings logical() {
        return new LogicalSettings(migrationName, LogicalSettings.parseSize(maxLag), catchUpTimeout,
                LogicalSettings.DEFAULTS.drainTimeout(), replicaIdentityFull);
    }

    @Override
    String schemaHook() {
        return schemaHook;
    }

    @Override
    VerifyMode verifyMode() {
        return verify == null ? null : VerifyMode.parse(verify);
    }

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
