package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.Migration;
import io.pgrelocate.engine.mysql.MysqlMigration;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TypeOverrides;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

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

    @Option(names = "--target-schema", paramLabel = "NAME", defaultValue = "public",
            description = "MySQL/MariaDB sources: the PostgreSQL schema to create the tables in (default: ${DEFAULT-VALUE}).")
    String targetSchema;

    @Option(names = "--identifier-case", paramLabel = "lower|preserve", defaultValue = "lower",
            description = "MySQL/MariaDB sources: fold table and column names to lower case, or keep them as they are (default: ${DEFAULT-VALUE}).")
    String identifierCase;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "MySQL/MariaDB sources: a YAML file with per-column types, e.g. types: {orders: {flag: smallint}}.")
    Path mapping;

    @Option(names = "--clean", description = "MySQL/MariaDB sources: drop and recreate the tables and types this copy creates, if they exist.")
    boolean clean;

    @Override
    public Integer call() {
        if (!connections.sourceIsMysql()) {
            return super.call();
        }
        MysqlMigrationSettings settings;
        try {
            settings = new MysqlMigrationSettings(connections.mysqlSource(), connections.target(), targetSchema, copy.jobs, clean,
                    PgNames.parseCase(identifierCase), mapping == null ? TypeOverrides.NONE : TypeOverrides.read(mapping));
        } catch (SettingsException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCode.BAD_SETTINGS.code();
        }
        MigrationReport result = new MysqlMigration(settings, timestamped(progress()), Clock.systemUTC()).migrate(dryRun);
        return report.finish(result, spec.commandLine().getOut());
    }

    @Override
    MigrationReport run(Migration migration) {
        return migration.migrate(dryRun);
    }
}
