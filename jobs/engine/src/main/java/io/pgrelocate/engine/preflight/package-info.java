/**
 * Runbook step: preflight. Refuses, before anything changes, what would fail later: credentials,
 * reachability, versions, an empty target, extensions, tools, room for a dump; and the dry run's copy
 * plan.
 */
package io.pgrelocate.engine.preflight;
