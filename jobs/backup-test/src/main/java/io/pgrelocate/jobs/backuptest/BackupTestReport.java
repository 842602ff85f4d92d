package io.pgrelocate.jobs.backuptest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.checks.CheckResult;
import io.pgrelocate.engine.checks.Verdict;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.jobs.support.JobRun;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the backup test found: whether the key tables hold rows, and the dump's size and how fast
 * it was made. The source is a display string (user@host:port/db): no password reaches a report.
 *
 * @param mode    {@value #TO_VOLUME} (pg_dump -Fd into the work directory) or {@value #TO_STREAM}
 *                (pg_dump -Fc counted and discarded: no volume was mounted)
 * @param dumpDir where the dump went, in {@value #TO_VOLUME} mode
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // Jackson writes it, also in a native image
public record BackupTestReport(String command, String source, String sourceVersion, Long databaseBytes, Integer tables,
                               List<CheckResult> keyTables, String mode, int jobs, String pgDump, String dumpDir,
                               Instant started, Instant finished, Duration dump, Long dumpBytes, Long bytesPerSecond,
                               boolean dumpKept, String result, int exitCode, String error) {
    static final String TO_VOLUME = "volume";
    static final String TO_STREAM = "stream";

    public String summary() {
        StringBuilder sb = new StringBuilder("── pgrelocate backup-test ──\n");
        sb.append("source  ").append(source).append(sourceVersion == null ? "" : "  (PostgreSQL " + sourceVersion + ")");
        if (databaseBytes != null) {
            sb.append(", ").append(Durations.bytes(databaseBytes)).append(", ").append(tables).append(tables == 1 ? " table" : " tables");
        }
        sb.append('\n');
        if (keyTables != null) {
            sb.append(CheckResult.section("key tables", keyTables));
        }
        if (dumpBytes != null) {
            sb.append("dump    ").append(Durations.bytes(dumpBytes)).append(" in ").append(Durations.human(dump)).append(" (")
                    .append(Durations.bytes(bytesPerSecond)).append("/s), ")
                    .append(TO_VOLUME.equals(mode) ? "pg_dump -Fd with " + jobs + " jobs into " + dumpDir + (dumpKept ? "" : " (removed afterwards)")
                            : "pg_dump -Fc to a stream, counted and discarded (no volume mounted)").append('\n');
        }
        sb.append("result  ").append(result).append(" (exit ").append(exitCode).append(")\n");
        if (error != null) {
            sb.append("error   ").append(error).append('\n');
        }
        return sb.toString();
    }

    public String json() {
        return ReportWriter.json(this);
    }

    public JobRun.Outcome outcome() {
        return new JobRun.Outcome(summary(), json(), exitCode);
    }

    /** Collects the report while the test runs; every step may be the last. */
    static final class Builder {
        private final String source;
        private final Instant started;
        private final String pgDump;
        private final String mode;
        private final int jobs;
        private final String dumpDir;
        private String sourceVersion;
        private Long databaseBytes;
        private Integer tables;
        private List<CheckResult> keyTables;
        private Duration dump;
        private Long dumpBytes;
        private Long bytesPerSecond;
        private boolean dumpKept;

        Builder(String source, Instant started, String pgDump, String mode, int jobs, String dumpDir) {
            this.source = source;
            this.started = started;
            this.pgDump = pgDump;
            this.mode = mode;
            this.jobs = jobs;
            this.dumpDir = dumpDir;
        }

        Builder source(String version, long bytes, int tableCount) {
            this.sourceVersion = version;
            this.databaseBytes = bytes;
            this.tables = tableCount;
            return this;
        }

        Builder keyTables(List<CheckResult> checks) {
            this.keyTables = List.copyOf(checks);
            return this;
        }

        CheckResult firstFailedKeyTable() {
            return keyTables == null ? null : keyTables.stream().filter(c -> !c.passed()).findFirst().orElse(null);
        }

        Builder dumped(Duration took, long bytes, long perSecond) {
            this.dump = took;
            this.dumpBytes = bytes;
            this.bytesPerSecond = perSecond;
            return this;
        }

        Builder dumpKept(boolean kept) {
            this.dumpKept = kept;
            return this;
        }

        BackupTestReport finish(Instant finished, ExitCode code, String error) {
            return new BackupTestReport("backup-test", source, sourceVersion, databaseBytes, tables, keyTables, mode, jobs,
                    pgDump, dumpDir, started, finished, dump, dumpBytes, bytesPerSecond, dumpKept, Verdict.resultOf(code),
                    code.code(), error);
        }
    }
}
