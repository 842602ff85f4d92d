package io.pgrelocate.engine.kube;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks the API again until an answer comes or time runs out. Used where an informer could miss the
 * moment: one started after the last pod went away (or after a pod started) sees no event at all.
 */
final class Poll {
    static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /** The first present answer of {@code probe}, or empty when {@code timeout} passed first. */
    static <T> Optional<T> until(Supplier<Optional<T>> probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> answer = probe.get();
            if (answer.isPresent() || System.nanoTime() > deadline) {
                return answer;
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
