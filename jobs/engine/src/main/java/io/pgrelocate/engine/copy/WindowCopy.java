package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.SourceDigests;
import io.pgrelocate.engine.verify.VerifyMode;

import java.util.List;

/**
 * The one seam between the runbook and the data: what the switchover window drives for every
 * strategy (dump, stream, logical, a MySQL source's copy), knowing neither the applications nor the
 * fence. {@code dump} and {@code stream} do all their work in {@link #inWindow}; {@code logical} sets
 * up and catches up in {@link #beforeWindow} while the applications still write, and only drains in
 * the window. The runbook asks the strategy, never its name, what differs between them
 * ({@link #needsWindow}, {@link #defaultVerify}, {@link #writesToDisk}, {@link #plannedCommands}).
 * <p>
 * The runbook calls, in this order: {@link #beforeWindow} once, {@link #inWindow} once the source is
 * fenced (so nothing writes any more), then {@link #finish} after the window succeeded, or
 * {@link #abort} on every other exit path (a failure, an interruption, also a failed
 * {@code beforeWindow}). Long steps call {@link io.pgrelocate.engine.stop.Interruption#checkpoint}.
 */
public interface WindowCopy {
    /** The strategy's name, as the report shows it. */
    String name();

    /** The line of the plan that says how the final sync moves the data, e.g. "strategy stream with 4 jobs". */
    default String describe(int jobs) {
        return "strategy " + name() + " with " + jobs + " jobs";
    }

    /**
     * Plan lines naming, with its size on {@code source} now, the work inside the window that grows with
     * the data (logical: unlogged tables' rows, materialized views, large objects); none by default.
     */
    default List<String> windowWork(Db source) {
        return List.of();
    }

    /** Whether it copies only inside a switchover window (logical: a copy without one would be a mere dump). */
    default boolean needsWindow() {
        return false;
    }

    /** When the window proves this copy unless told otherwise: logical's window must not grow with the data. */
    default VerifyMode defaultVerify() {
        return VerifyMode.BEFORE_THAW;
    }

    /**
     * The source's side of the proof taken during the copy (the stream strategy digests the rows it
     * relays), for {@link io.pgrelocate.engine.verify.Verifier#withSourceDigests}; null when the copy took none.
     */
    default SourceDigests sourceDigests() {
        return null;
    }

    /** Whether it writes the whole data to the work directory (preflight then checks the room for it). */
    default boolean writesToDisk() {
        return false;
    }

    /** The commands it would run, for a dry run; none for a copy that runs no tools. */
    default List<String> plannedCommands(ConnectionSpec target) {
        return List.of();
    }

    /**
     * The applications still run: a logical copy checks its own preflight, creates slot, publication,
     * subscription, bulk-copies and catches up; the others do nothing yet.
     */
    void beforeWindow();

    /**
     * The source is fenced at {@code fenced} (null: there is no window, a plain copy of a source that
     * stays writable): {@code dump}/{@code stream} copy everything; {@code logical} waits until the
     * target applied {@code fenced.finalLsn()} and carries what replication does not (sequences,
     * large objects, unlogged tables, materialized views).
     */
    CopyResult inWindow(FencedSource fenced);

    /** The window succeeded: drop what only the copy needed (a logical copy's subscription, publication, slot). */
    void finish();

    /**
     * The switch is decided and the target takes no write yet (the applications stopped, the target
     * not announced live): what must start exactly there (logical: the reverse stream's slot on the
     * target). Never throws: a rollback without it refuses to lose the target's writes.
     */
    default void atSwitchPoint() {
    }

    /** After {@link #finish}, the applications not yet thawed: what {@link #atSwitchPoint} began (logical: the source subscribes). Never throws. */
    default void afterSwitch() {
    }

    /** Any other exit: undo what the copy set up on either side; never throws. */
    void abort();

    /**
     * The whole copy without a window (the source stays writable): the same calls in the same order,
     * {@link #abort} on a failure, which is then rethrown.
     */
    default CopyResult withoutWindow() {
        try {
            beforeWindow();
            CopyResult result = inWindow(null);
            finish();
            return result;
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }
}
