package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.settings.ConnectionSpec;

import java.nio.file.Path;

/**
 * A MySQL/MariaDB database into one PostgreSQL schema.
 *
 * @param schema       the target schema (created when absent)
 * @param clean        drop the tables and types this copy creates, when they exist, instead of refusing
 * @param writeMapping where to write the per-column types the plan chose (a mapping file for --mapping), or null
 */
public record MysqlMigrationSettings(MysqlSource source, ConnectionSpec target, String schema, int jobs, boolean clean,
                                     PgNames.Case identifierCase, TypeOverrides overrides, Path writeMapping) {
    public MysqlMigrationSettings {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
    }

    public MysqlMigrationSettings(MysqlSource source, ConnectionSpec target, String schema, int jobs, boolean clean,
                                  PgNames.Case identifierCase, TypeOverrides overrides) {
        this(source, target, schema, jobs, clean, identifierCase, overrides, null);
    }
}
