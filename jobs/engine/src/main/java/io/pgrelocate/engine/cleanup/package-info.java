/**
 * Runbook step: cleanup, after a switch proven good. Removes the source database's cluster objects,
 * never an object a pod template still references.
 */
package io.pgrelocate.engine.cleanup;
