/**
 * The runbook: {@link io.pgrelocate.engine.runbook.Migration} owns the order of steps (preflight → the
 * switchover window or a plain copy → verify → report) and {@link
 * io.pgrelocate.engine.runbook.Strategies} is the one place a strategy's name becomes its copy.
 */
package io.pgrelocate.engine.runbook;
