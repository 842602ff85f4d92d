/**
 * Runbook step: the copy and verification for a MySQL/MariaDB source: introspection, type mapping,
 * COPY from a streaming result, verification across engines.
 */
package io.pgrelocate.engine.mysql;
