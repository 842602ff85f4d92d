/**
 * Rollback after the switch, a window of its own: {@link io.pgrelocate.engine.rollback.RollbackWindow}
 * (freeze → fence the target → drain the reverse stream → carry back → unfence the source → cut back
 * → thaw), and, without a reverse stream, {@link io.pgrelocate.engine.rollback.TargetWrites} (what the
 * target took since the {@link io.pgrelocate.engine.rollback.SwitchPoint}), which rollback refuses to lose
 * unless told to.
 */
package io.pgrelocate.engine.rollback;
