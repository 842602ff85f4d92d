package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.settings.ConnectionSpec;

/**
 * A MySQL/MariaDB database into one PostgreSQL schema.
 *
 * @param schema the target schema (created when absent)
 * @param clean  drop the tables and types this copy creates, when they exist, instead of refusing
 */
public record MysqlMigrationSettings(MysqlSource source, ConnectionSpec target, String schema, int jobs, boolean clean,
                                     PgNames.Case identifierCase, TypeOverrides overrides) {
    public MysqlMigrationSettings {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
    }
}
