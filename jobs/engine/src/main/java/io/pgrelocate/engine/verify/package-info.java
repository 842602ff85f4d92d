/**
 * Runbook step: verification. Row counts, order-independent content digests, sequences, large objects,
 * extensions and schema objects of source and target, and when the window proves them ({@link
 * io.pgrelocate.engine.verify.VerifyMode}).
 */
package io.pgrelocate.engine.verify;
