package io.pgrelocate.jobs.backuptest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.Durations;
import io.pgrelocate.jobs.support.JobRun;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * What the backup test found: the dump's size and how fast it was made. The source is a display
 * string (user@host:port/db): no password reaches a report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupTestReport(String command, String source, String sourceVersion, Long databaseBytes, int tables,
                               int jobs, String pgDump, String dumpDir, Instant started, Instant finished,
                               Duration dump, Long dumpBytes, Long bytesPerSecond, boolean dumpKept,
                               String result, int exitCode, String error) {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    static String resultOf(ExitCode code) {
        return code == ExitCode.OK ? "SUCCESS" : "FAILED: " + code.meaning();
    }

    public String summary() {
        StringBuilder sb = new StringBuilder("── pgrelocate backup-test ──\n");
        sb.append("source  ").append(source).append(sourceVersion == null ? "" : "  (PostgreSQL " + sourceVersion + ")");
        if (databaseBytes != null) {
            sb.append(", ").append(Durations.bytes(databaseBytes)).append(", ").append(tables).append(tables == 1 ? " table" : " tables");
        }
        sb.append('\n');
        if (dumpBytes != null) {
            sb.append("dump    ").append(Durations.bytes(dumpBytes)).append(" in ").append(Durations.human(dump))
                    .append(" with ").append(jobs).append(" jobs (").append(Durations.bytes(bytesPerSecond)).append("/s) into ")
                    .append(dumpDir).append(dumpKept ? "" : " (removed afterwards)").append('\n');
        }
        sb.append("result  ").append(result).append(" (exit ").append(exitCode).append(")\n");
        if (error != null) {
            sb.append("error   ").append(error).append('\n');
        }
        return sb.toString();
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JobRun.Outcome outcome() {
        return new JobRun.Outcome(summary(), json(), exitCode);
    }
}
