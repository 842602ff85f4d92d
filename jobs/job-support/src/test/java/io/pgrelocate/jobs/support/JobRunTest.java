package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JobRunTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final JobRun run = new JobRun(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void progressLinesCarryTheTime() {
        run.progress("dump: 10%");
        assertThat(output()).isEqualTo("03:04:05 dump: 10%" + System.lineSeparator());
    }

    @Test
    void outcomeIsPrintedWithAMarkedJsonBlockAndWrittenToTheReportFile(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("reports/r.json");
        int code = run.run(Optional.of(file), () -> new JobRun.Outcome("result  SUCCESS\n", "{\"exitCode\":0}", 0));

        assertThat(code).isZero();
        assertThat(output()).contains("result  SUCCESS\n" + JobRun.REPORT_BEGIN + System.lineSeparator()
                + "{\"exitCode\":0}" + System.lineSeparator() + JobRun.REPORT_END);
        assertThat(Files.readString(file)).isEqualTo("{\"exitCode\":0}\n");
    }

    @Test
    void theHtmlReportIsWrittenBesideTheJson(@TempDir Path tmp) throws IOException {
        Path html = tmp.resolve("work/report.html");
        String json = "{\"command\":\"migrate\",\"source\":\"app@old:5432/app\",\"result\":\"SUCCESS\",\"exitCode\":0}";
        int code = run.run(Optional.empty(), Optional.of(html), () -> new JobRun.Outcome("result  SUCCESS\n", json, 0));

        assertThat(code).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("pgrelocate migrate", "app@old:5432/app", "SUCCESS (exit 0)");
        assertThat(output()).contains("report written to " + html);
    }

    @Test
    void anUnwritableHtmlReportIsRefusedBeforeTheStep(@TempDir Path tmp) throws IOException {
        Path blocker = Files.writeString(tmp.resolve("file"), "");
        boolean[] ran = {false};
        int code = run.run(Optional.empty(), Optional.of(blocker.resolve("report.html")), () -> {
            ran[0] = true;
            return new JobRun.Outcome("result  SUCCESS\n", "{\"exitCode\":0}", 0);
        });

        assertThat(code).isEqualTo(ExitCode.BAD_SETTINGS.code());
        assertThat(ran[0]).isFalse();
        assertThat(output()).startsWith("error: cannot create the directory of the report " + blocker.resolve("report.html"));
    }

    @Test
    void settingsErrorIsOneLineAndExitCodeTwo() {
        int code = run.run(Optional.empty(), () -> {
            throw new SettingsException("PGRELOCATE_TARGET_URI is not set");
        });
        assertThat(code).isEqualTo(ExitCode.BAD_SETTINGS.code()).isEqualTo(2);
        assertThat(output()).isEqualTo("error: PGRELOCATE_TARGET_URI is not set" + System.lineSeparator());
    }

    @Test
    void engineErrorKeepsItsExitCode() {
        int code = run.run(Optional.empty(), () -> {
            throw new EngineException(ExitCode.TOOLS, "pg_dump not found");
        });
        assertThat(code).isEqualTo(ExitCode.TOOLS.code());
        assertThat(output()).startsWith("error: pg_dump not found");
    }
}
