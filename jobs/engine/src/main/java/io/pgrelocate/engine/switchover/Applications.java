package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;

import java.util.List;

/**
 * The applications' port of the switchover window: freeze, cut over, thaw, undo. The window knows
 * no Kubernetes; {@code kube} implements this with the replica ledger, local mode passes one with no
 * applications. {@link Migration} calls {@link #check()} after preflight (also in a dry run), then
 * {@link #freeze()}; after a freeze exactly one of: {@link #cutOver()} and {@link #thaw()} (the
 * switch succeeded), {@link #thaw()} alone (verified, back onto the source), or {@link #undo()}.
 */
public interface Applications {
    /** No applications and no switch: a plain copy, the source only read (today's {@code migrate}). */
    Applications NONE = new NoApplications(false);

    /** No applications, but the whole window: the source is fenced and the target goes live (local {@code migrate --switchover}). */
    static Applications switchWithoutApplications() {
        return new NoApplications(true);
    }

    /** Refuses what can be refused before any change; returns the plan, one line per step it will take. */
    List<String> check();

    /** Whether the window switches to the target; false: the applications come back on the source. */
    boolean switchesToTarget();

    /** Whether there is a window at all (freeze and fence); false only for {@link #NONE}. */
    default boolean hasWindow() {
        return true;
    }

    /** Stops the writers; throws {@link EngineException} when they did not stop (then {@link #undo} still runs). */
    void freeze();

    /** Points the applications at the target while they are stopped. */
    void cutOver();

    /** Brings the applications back, on whatever they point at now, and waits until they are ready. */
    void thaw();

    /** The failure path: puts back any setting a cutover changed and brings the applications back on the source. */
    void undo();

    /** Marks a phase of the window, e.g. {@code fenced}, with the time it was reached. */
    default void reached(String phase) {
    }

    /** The source was fenced ({@code record}) or the fence was lifted ({@code null}). */
    default void fence(FenceRecord record) {
    }

    /** The copy was verified and the applications go back onto the source: what a later cutover compares with. */
    default void verifiedCopy(SourceMarker marker) {
    }

    /** A finding that stops nothing but needs an operator (a replication slot at risk): say so where they look. */
    default void warning(String reason, String message) {
    }

    /** The window failed with {@code reason} (after its own undo): say so where the applications' operators look. */
    default void failed(String reason) {
    }

    /** What the report shows about the applications, or null. */
    ApplicationsReport report();

    /** The port without applications. */
    final class NoApplications implements Applications {
        private final boolean switches;

        private NoApplications(boolean switches) {
            this.switches = switches;
        }

        @Override
        public List<String> check() {
            return List.of();
        }

        @Override
        public boolean switchesToTarget() {
            return switches;
        }

        @Override
        public boolean hasWindow() {
            return switches;
        }

        @Override
        public void freeze() {
        }

        @Override
        public void cutOver() {
        }

        @Override
        public void thaw() {
        }

        @Override
        public void undo() {
        }

        @Override
        public ApplicationsReport report() {
            return null;
        }
    }
}
