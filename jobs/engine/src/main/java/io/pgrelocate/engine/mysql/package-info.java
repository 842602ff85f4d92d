/**
 * Runbook step: the copy and verification for a MySQL/MariaDB source: introspection, type mapping,
 * COPY from a streaming result, verification across engines; and its fence for the switchover window
 * ({@link io.pgrelocate.engine.mysql.MysqlFence}: read_only, other sessions killed).
 */
package io.pgrelocate.engine.mysql;
