/**
 * Runbook step: the switchover window (freeze → fence → final sync → verify → cutover → thaw). Knows
 * no Kubernetes and no source engine: it drives the applications through the {@link
 * io.pgrelocate.engine.switchover.Applications} port, the source through the {@link
 * io.pgrelocate.engine.switchover.SourceFence} port (PostgreSQL's {@link io.pgrelocate.engine.switchover.Fence}
 * here, MySQL's in {@code mysql}), and the data through {@link io.pgrelocate.engine.copy.WindowCopy}.
 */
package io.pgrelocate.engine.switchover;
