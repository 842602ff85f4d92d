/**
 * The runbook: {@link io.pgrelocate.engine.runbook.Runbook#of} is the one entry (the source's engine picks
 * {@link io.pgrelocate.engine.runbook.Migration} or the MySQL runbook); {@link io.pgrelocate.engine.runbook.Migration} owns the order of steps (preflight → the
 * switchover window or a plain copy → verify → report) and {@link
 * io.pgrelocate.engine.runbook.Strategies} is the one place a strategy's name becomes its copy.
 */
package io.pgrelocate.engine.runbook;
