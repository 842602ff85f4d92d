/**
 * Helpers more than one runbook step uses: duration and size formatting, range predicates that cut a
 * table, worker threads. Nothing here knows a step.
 */
package io.pgrelocate.engine.common;
