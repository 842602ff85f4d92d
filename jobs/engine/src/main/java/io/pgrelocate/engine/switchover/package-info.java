/**
 * Runbook step: the switchover window (freeze → fence → final sync → verify → cutover → thaw). Knows
 * no Kubernetes: it drives the applications through the {@link
 * io.pgrelocate.engine.switchover.Applications} port, the source through the fence (plain SQL), and
 * the data through {@link io.pgrelocate.engine.copy.WindowCopy}.
 */
package io.pgrelocate.engine.switchover;
