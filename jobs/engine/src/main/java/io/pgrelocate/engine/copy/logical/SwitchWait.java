package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.stop.Interruption;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** {@code switch --at}: waits for the time, the lag printed every few minutes; a stop request ends the wait (nothing is fenced yet). */
final class SwitchWait {
    private static final Duration REPORT_EVERY = Duration.ofMinutes(5);
    private static final Duration STEP = Duration.ofSeconds(1);

    private final Instant at;
    private final CatchUpMonitor monitor;
    private final Clock clock;
    private final Consumer<String> out;

    SwitchWait(Instant at, CatchUpMonitor monitor, Clock clock, Consumer<String> out) {
        this.at = at;
        this.monitor = monitor;
        this.clock = clock;
        this.out = out;
    }

    void run() {
        Instant next = clock.instant();
        while (clock.instant().isBefore(at)) {
            if (!clock.instant().isBefore(next)) {
                out.accept("switch: waiting until " + at + " (" + Durations.human(Duration.between(clock.instant(), at)) + "); "
                        + monitor.sample().line());
                next = clock.instant().plus(REPORT_EVERY);
            }
            Interruption.checkpoint("the wait for --at");
            Pause.sleep(Duration.ofMillis(Math.min(STEP.toMillis(), Math.max(1, Duration.between(clock.instant(), at).toMillis()))));
        }
    }
}
