/**
 * Connection settings from flags, environment and Secret files: libpq URIs, sslmode, passwords, the
 * pgpass file, object filters.
 */
package io.pgrelocate.engine.settings;
