/**
 * Runbook step: the copy, strategy {@code logical}. Publication, slot with an exported snapshot, bulk
 * copy, subscription and catch-up while the applications run; drain, sequences and carry-over in the window
 * ({@link io.pgrelocate.engine.copy.logical.LogicalInWindow}); teardown on every exit path.
 */
package io.pgrelocate.engine.copy.logical;
