/**
 * Runbook step: the copy, for several sources into one target schema: plan, conflict scan, load,
 * verify.
 */
package io.pgrelocate.engine.merge;
