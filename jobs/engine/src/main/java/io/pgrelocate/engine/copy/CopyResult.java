package io.pgrelocate.engine.copy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the copy did, as the strategy's own named phases in the order they ran (dump: dump, restore,
 * analyze; stream: dump (pg_dump --schema-only), pre-data, then data, indexes, foreign keys and post-data; logical: bulk copy and
 * catch-up, then drain and carry-over; MySQL: data, then keys and indexes, analyze), so no field
 * stands for another strategy's step. {@code stream} holds the stream strategy's details, else null.
 *
 * @param bytesOnDisk what the copy wrote to the work directory (the dump), 0 when it wrote nothing
 */
public record CopyResult(String strategy, int jobs, @JsonIgnore List<Phase> phases, long bytesOnDisk, List<String> rolesCreated,
                         List<String> excludedExtensions, Stream stream) {

    public CopyResult(String strategy, int jobs, List<Phase> phases, long bytesOnDisk, List<String> rolesCreated,
                      List<String> excludedExtensions) {
        this(strategy, jobs, phases, bytesOnDisk, rolesCreated, excludedExtensions, null);
    }

    public CopyResult {
        phases = List.copyOf(phases);
    }

    /**
     * One step of the copy as the report names it.
     *
     * @param note what the summary adds after the time, e.g. the dump's size or "in the window"; null for none
     */
    public record Phase(String name, Duration took, String note) {
        public Phase(String name, Duration took) {
            this(name, took, null);
        }
    }

    /** The phases as the JSON report shows them: name → time, in the order they ran. */
    @JsonProperty("phases")
    public Map<String, Duration> phaseTimes() {
        Map<String, Duration> times = new LinkedHashMap<>();
        phases.forEach(p -> times.merge(p.name(), p.took(), Duration::plus));
        return times;
    }

    /** What the summary says after a phase's time, for the JSON report too (e.g. which replicate run a switch continues). */
    @JsonProperty("notes")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public Map<String, String> phaseNotes() {
        Map<String, String> notes = new LinkedHashMap<>();
        phases.stream().filter(p -> p.note() != null).forEach(p -> notes.merge(p.name(), p.note(), (a, b) -> a + "; " + b));
        return notes;
    }

    public Duration total() {
        return phases.stream().map(Phase::took).reduce(Duration.ZERO, Duration::plus);
    }

    /** The time of the phase named {@code name}; zero when the strategy had no such phase. */
    public Duration took(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).map(Phase::took).findFirst().orElse(Duration.ZERO);
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
