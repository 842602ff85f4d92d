package io.pgrelocate.engine.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the stderr lines a human needs after a failure: errors, details and hints, not the
 * thousands of verbose progress lines around them.
 */
final class StderrSummary {
    private static final Pattern IMPORTANT = Pattern.compile(
            "(?i)(error|fatal|panic|could not|cannot|failed|detail:|hint:|no such|permission denied|warning:)");
    private static final int KEEP = 8;

    private final Deque<String> important = new ArrayDeque<>();
    private final Deque<String> last = new ArrayDeque<>();

    synchronized void accept(String line) {
        if (IMPORTANT.matcher(line).find()) {
            push(important, line.strip());
        }
        push(last, line.strip());
    }

    /** The important lines, or the last lines when nothing looked like an error. */
    synchronized List<String> lines() {
        return new ArrayList<>(important.isEmpty() ? last : important);
    }

    private static void push(Deque<String> lines, String line) {
        if (line.isEmpty()) {
            return;
        }
        if (lines.size() == KEEP) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }
}
