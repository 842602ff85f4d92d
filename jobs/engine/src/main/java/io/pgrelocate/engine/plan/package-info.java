/**
 * Runbook step: planning, before a migration. The expected downtime per strategy from a measured
 * backup-test dump.
 */
package io.pgrelocate.engine.plan;
