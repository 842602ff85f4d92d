/**
 * Sessions ({@link io.pgrelocate.engine.postgres.Db}) and introspection of a PostgreSQL server:
 * version, size, tables, extensions, roles.
 */
package io.pgrelocate.engine.postgres;
