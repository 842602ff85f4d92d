package io.pgrelocate.engine.switchover;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Stamps the window's marks as they are reached, here and through {@code forward} (the ledger). */
final class WindowTimer {
    private final Map<String, Instant> marks = new LinkedHashMap<>();
    private final Consumer<String> forward;
    private final Clock clock;

    WindowTimer(Consumer<String> forward, Clock clock) {
        this.forward = forward;
        this.clock = clock;
    }

    void mark(String name) {
        marks.put(name, clock.instant());
        try {
            forward.accept(name);
        } catch (RuntimeException e) {
            // a ledger that cannot take a timestamp must not fail the window; the report still has it
        }
    }

    Optional<WindowReport> report(String fence) {
        return WindowReport.of(marks, fence);
    }
}
