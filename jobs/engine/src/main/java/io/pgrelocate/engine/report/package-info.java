/**
 * Runbook step: the report. The JSON report of a run, its human summary and HTML page; built from what
 * the steps returned.
 */
package io.pgrelocate.engine.report;
