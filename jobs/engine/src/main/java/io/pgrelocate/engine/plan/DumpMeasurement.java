package io.pgrelocate.engine.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrelocate.engine.report.ReportMarkers;

import java.time.Duration;
import java.util.Optional;

/**
 * What a backup-test Job measured on the real source: the database size, and how long pg_dump took
 * to read it all. The plan's downtime estimate starts from this, not from a table of typical rates.
 */
public record DumpMeasurement(String job, long databaseBytes, long dumpBytes, Duration dump, String mode, int jobs) {

    /** The measurement in a backup-test Job's log; empty when the log holds no successful report. */
    public static Optional<DumpMeasurement> fromLog(String job, String log) {
        return ReportMarkers.lastReport(log).flatMap(json -> {
            try {
                JsonNode r = new ObjectMapper().readTree(json);
                if (r.path("exitCode").asInt(-1) != 0 || !r.hasNonNull("dump") || !r.hasNonNull("databaseBytes")) {
                    return Optional.empty();
                }
                return Optional.of(new DumpMeasurement(job, r.get("databaseBytes").asLong(), r.path("dumpBytes").asLong(),
                        Duration.parse(r.get("dump").asText()), r.path("mode").asText("volume"), r.path("jobs").asInt(1)));
            } catch (Exception e) {
                return Optional.empty(); // a cut-off or foreign log is no measurement
            }
        });
    }

    /** Bytes of the database read per second by pg_dump. */
    public double bytesPerSecond() {
        return databaseBytes / Math.max(0.001, dump.toMillis() / 1000.0);
    }
}
