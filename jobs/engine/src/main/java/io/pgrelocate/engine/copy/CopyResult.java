package io.pgrelocate.engine.copy;

import java.time.Duration;
import java.util.List;

/**
 * What the copy did and how long each part took. For the stream strategy {@code dump} is the
 * schema (pg_dump --schema-only and the pre-data restore), {@code restore} everything after it, and
 * {@code stream} the details; {@code stream} is null for the other strategies.
 */
public record CopyResult(String strategy, int jobs, Duration dump, Duration restore, Duration analyze,
                         long dumpBytes, List<String> rolesCreated, List<String> excludedExtensions, Stream stream) {

    public CopyResult(String strategy, int jobs, Duration dump, Duration restore, Duration analyze,
                      long dumpBytes, List<String> rolesCreated, List<String> excludedExtensions) {
        this(strategy, jobs, dump, restore, analyze, dumpBytes, rolesCreated, excludedExtensions, null);
    }

    public Duration total() {
        return dump.plus(restore).plus(analyze);
    }

    /**
     * The stream strategy's phases and per-table figures.
     *
     * @param data        the parallel COPY of all tables and large objects
     * @param indexes     index builds still running after the data was in (most overlap the copy)
     * @param foreignKeys foreign keys between plain tables: added NOT VALID, then validated in parallel
     * @param postData    sequences, materialized views, then pg_restore --section=post-data (triggers, policies, …)
     * @param indexBuilds indexes and PK/unique/exclusion constraints built beside the copy
     */
    public record Stream(String snapshot, Duration data, Duration indexes, Duration foreignKeys, Duration postData, long rows, long bytes,
                         long bytesPerSecond, int indexBuilds, int largeObjects, List<TableCopy> tables) {
    }
}
