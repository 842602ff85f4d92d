/**
 * Runbook step: validation. Referential integrity of the target: rows whose foreign keys point
 * nowhere.
 */
package io.pgrelocate.engine.integrity;
