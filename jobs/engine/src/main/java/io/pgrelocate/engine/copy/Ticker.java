package io.pgrelocate.engine.copy;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A daemon thread that prints a progress line every few seconds until closed. */
final class Ticker {
    private Ticker() {
    }

    static AutoCloseable every(Duration every, String name, Supplier<String> line, Consumer<String> out) {
        Thread ticker = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(every.toMillis());
                    out.accept(line.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "progress-" + name);
        ticker.setDaemon(true);
        ticker.start();
        return ticker::interrupt;
    }
}
