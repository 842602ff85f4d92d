package io.pgrelocate.engine.copy;


/**
 * What the window drives per strategy: the data's part of the switchover, knowing neither the
 * applications nor the fence. {@code dump} and {@code stream} do all their work in
 * {@link #inWindow}; {@code logical} sets up and catches up in {@link #beforeWindow} while the
 * applications still write, and only drains in the window.
 * <p>
 * The window calls, in this order: {@link #beforeWindow} once, {@link #inWindow} once the source is
 * fenced (so nothing writes any more), then {@link #finish} after the window succeeded, or
 * {@link #abort} on every other exit path (a failure, an interruption, also a failed
 * {@code beforeWindow}). Long steps call {@link io.pgrelocate.engine.stop.Interruption#checkpoint}.
 */
public interface WindowCopy {
    /** The applications still run: a logical copy creates slot, publication, subscription, bulk-copies and catches up. */
    void beforeWindow();

    /**
     * The source is fenced: {@code dump}/{@code stream} copy everything; {@code logical} waits until the
     * target applied {@code fenced.finalLsn()} and carries what replication does not (sequences,
     * large objects, unlogged tables, materialized views).
     */
    CopyResult inWindow(FencedSource fenced);

    /** The window succeeded: drop what only the copy needed (a logical copy's subscription, publication, slot). */
    void finish();

    /** Any other exit: undo what the copy set up on either side; never throws. */
    void abort();
}
