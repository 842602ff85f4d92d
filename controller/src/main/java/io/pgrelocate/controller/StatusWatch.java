package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code status -w}: shows a view again and again while something runs. In a terminal the screen
 * is redrawn in place; in a log or a pipe each line is printed once, when it first appears, with
 * the time, so a CI log reads as a story rather than as a hundred copies of the screen.
 */
final class StatusWatch {
    private static final java.time.format.DateTimeFormatter CLOCK_TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    private static final String CLEAR = "\033[H\033[2J";

    private final PrintWriter out;
    private final boolean terminal;
    private final Duration interval;

    StatusWatch(PrintWriter out, boolean terminal, Duration interval) {
        this.out = out;
        this.terminal = terminal;
        this.interval = interval;
    }

    /** Shows {@code view} every interval while {@code running}, and once more after it stopped. */
    int follow(Supplier<List<String>> view, BooleanSupplier running) {
        Set<String> shown = new HashSet<>();
        boolean wasRunning = running.getAsBoolean();
        if (!wasRunning) {
            show(view.get(), shown);
            out.println("status -w: no migration Job is running; shown once");
            out.flush();
            return ExitCode.OK.code();
        }
        while (wasRunning) {
            show(view.get(), shown);
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.INTERRUPTED.code();
            }
            wasRunning = running.getAsBoolean();
        }
        show(view.get(), shown);
        out.println("status -w: the migration Job has ended");
        out.flush();
        return ExitCode.OK.code();
    }

    private void show(List<String> lines, Set<String> shown) {
        if (terminal) {
            out.print(CLEAR);
            lines.forEach(out::println);
        } else {
            String now = LocalTime.now().format(CLOCK_TIME);  // LocalTime.toString drops ":00" seconds
            lines.stream().filter(shown::add).forEach(l -> out.println(now + " " + l));
        }
        out.flush();
    }
}
