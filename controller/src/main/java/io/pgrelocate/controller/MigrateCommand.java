package io.pgrelocate.controller;

import io.pgrelocate.engine.Migration;
import io.pgrelocate.engine.report.MigrationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Preflight, then copy the database (pg_dump -Fd -j N, pg_restore -j N), then verify it.",
                "The source is only read. On any difference the exit code is 12 and each difference is named.",
                "A mysql:// or mariadb:// source is copied by COPY into one schema (--target-schema) and verified across engines.",
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

    @Mixin
    MysqlOptions mysql;

    @Option(names = "--clean", description = "MySQL/MariaDB sources: drop and recreate the tables and types this copy creates, if they exist.")
    boolean clean;

    @Override
    public Integer call() {
        return connections.sourceIsMysql() ? mysql.run(this, clean, m -> m.migrate(dryRun)) : super.call();
    }

    @Override
    MigrationReport run(Migration migration) {
        return migration.migrate(dryRun);
    }
}
