package io.pgrelocate.engine;

import java.util.List;

/**
 * What a migration does to the applications around the copy. {@link Migration} calls
 * {@link #check()} after preflight (also in a dry run), {@link #begin()} before the first write to the
 * target, and {@link #end(boolean)} after every {@code begin()}, whatever happened in between.
 */
public interface Downtime {
    /** No applications to stop: a copy on its own. */
    Downtime NONE = new Downtime() {
        @Override
        public List<String> check() {
            return List.of();
        }

        @Override
        public void begin() {
        }

        @Override
        public void end(boolean succeeded) {
        }

        @Override
        public Object report() {
            return null;
        }
    };

    /** Refuses what can be refused before any change; returns the plan, one line per application. */
    List<String> check();

    /** Stops the writers; throws {@link EngineException} when they did not stop (then {@link #end} still runs). */
    void begin();

    /** Brings the writers back; {@code succeeded} when the copy was verified. */
    void end(boolean succeeded);

    /** Marks a phase of the copy, e.g. {@code copied}. */
    default void reached(String phase) {
    }

    /** What the report shows about the applications, or null. */
    Object report();
}
