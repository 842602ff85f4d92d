/**
 * Runbook step: before and after the switch. A performance baseline of the applications' own queries,
 * timed on source and target.
 */
package io.pgrelocate.engine.baseline;
