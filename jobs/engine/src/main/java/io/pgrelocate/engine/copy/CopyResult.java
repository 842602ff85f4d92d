package io.pgrelocate.engine.copy;

import java.time.Duration;
import java.util.List;

/** What the copy did and how long each part took. */
public record CopyResult(String strategy, int jobs, Duration dump, Duration restore, Duration analyze,
                         long dumpBytes, List<String> rolesCreated, List<String> excludedExtensions) {
    public Duration total() {
        return dump.plus(restore).plus(analyze);
    }
}
