/**
 * External tools (pg_dump, pg_restore, psql) run with argument arrays, no shell, their stderr kept for
 * the error, all stopped together on a stop request.
 */
package io.pgrelocate.engine.process;
