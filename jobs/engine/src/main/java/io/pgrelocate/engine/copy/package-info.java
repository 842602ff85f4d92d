/**
 * Runbook step: the copy. {@link io.pgrelocate.engine.copy.WindowCopy} is the one seam the runbook
 * drives for every strategy; {@code dump} ({@link io.pgrelocate.engine.copy.DumpCopy}) and {@code
 * stream} ({@link io.pgrelocate.engine.copy.StreamCopy}) bulk-copy inside the window ({@link
 * io.pgrelocate.engine.copy.CopyInWindow}); the pg_dump/pg_restore toolkit ({@link
 * io.pgrelocate.engine.copy.DumpRestore}) serves them and logical. Strategies know neither the
 * applications nor the fence.
 */
package io.pgrelocate.engine.copy;
