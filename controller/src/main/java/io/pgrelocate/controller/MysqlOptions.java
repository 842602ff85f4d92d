package io.pgrelocate.controller;

import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TypeOverrides;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** What a mysql:// or mariadb:// source adds to migrate and verify: the target schema, names, type overrides. */
public class MysqlOptions {
    @Option(names = "--target-schema", paramLabel = "NAME", defaultValue = "public",
            description = "MySQL/MariaDB sources: the PostgreSQL schema the tables go to (default: ${DEFAULT-VALUE}).")
    String targetSchema;

    @Option(names = "--identifier-case", paramLabel = "lower|preserve", defaultValue = "lower",
            description = "MySQL/MariaDB sources: fold table and column names to lower case, or keep them (default: ${DEFAULT-VALUE}).")
    String identifierCase;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "MySQL/MariaDB sources: a YAML file with per-column types, e.g. types: {orders: {flag: smallint}}.")
    Path mapping;

    @Option(names = "--write-mapping", paramLabel = "FILE",
            description = "MySQL/MariaDB sources: write the type of every column as the plan chose it (after reading the values) "
                    + "to FILE, to review and give back as --mapping; with --dry-run nothing else is written.")
    Path writeMapping;

    /** The settings of a MySQL/MariaDB source for {@code command}; a bad mapping file or name case is a {@link SettingsException}. */
    MysqlMigrationSettings settings(LocalCommand command, boolean clean) {
        return new MysqlMigrationSettings(command.connections.mysqlSource(), command.connections.target(), targetSchema,
                command.copy.jobs, clean, PgNames.parseCase(identifierCase), mapping == null ? TypeOverrides.NONE : TypeOverrides.read(mapping),
                writeMapping);
    }

    /** The same, for a command without these options (preflight): schema public, names folded, no overrides. */
    static MysqlMigrationSettings defaults(LocalCommand command, boolean clean) {
        return new MysqlMigrationSettings(command.connections.mysqlSource(), command.connections.target(), "public",
                command.copy.jobs, clean, PgNames.Case.LOWER, TypeOverrides.NONE);
    }
}
