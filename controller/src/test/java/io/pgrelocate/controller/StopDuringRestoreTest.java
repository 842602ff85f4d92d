package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.SlowRestore;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgrelocate migrate} in a process of its own, sent SIGTERM (what Kubernetes sends when the
 * Job's pod is deleted) while pg_restore runs: the tools and their workers are gone, nothing keeps
 * writing to the target, no pgpass file is left, the report names the step, and the exit code
 * printed is the exit code of the process: 19.
 */
class StopDuringRestoreTest {
    @Test
    void sigtermMidRestoreStopsEverythingAndExits19() throws Exception {
        LocalPostgres pg = TestServers.pg15();
        String src = TestServers.freshDatabase(pg, "stop_src");
        String dst = TestServers.freshDatabase(pg, "stop_dst");
        SlowRestore.source(pg, src, dst);
        Path parent = Files.createTempDirectory("stop-work-");
        Path report = parent.resolve("report.json");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CliMain.class.getName(),
                "migrate", "--strategy", "dump", "--source", pg.uri(src), "--target", pg.uri(dst), "--jobs", "2",
                "--work-dir", parent.toString(), "--report", report.toString()));
        Path log = parent.resolve("cli.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PGRELOCATE_SOURCE_PASSWORD", TestServers.PASSWORD);
        pb.environment().put("PGRELOCATE_TARGET_PASSWORD", TestServers.PASSWORD);
        Process cli = pb.start();
        try {
            for (int i = 0; i < 1800 && !Files.readString(log).contains("restore: "); i++) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).as("restore started").contains("restore: ");
            List<ProcessHandle> tools = waitForTools(cli.toHandle());
            assertThat(tools).as("pg_restore and its workers").isNotEmpty();
            for (ProcessHandle tool : tools) {
                assertThat(environmentOf(tool)).as("environment of pid %d", tool.pid())
                        .noneMatch(v -> v.startsWith("PGRELOCATE_")).noneMatch(v -> v.contains(TestServers.PASSWORD));
            }

            cli.destroy();  // SIGTERM
            assertThat(cli.waitFor(150, TimeUnit.SECONDS)).as("ended").isTrue();
            String out = Files.readString(log);

            assertThat(cli.exitValue()).as(out).isEqualTo(19);
            assertThat(out).contains("(exit 19)", "interrupted during the restore").doesNotContain(TestServers.PASSWORD);
            assertThat(tools).noneMatch(ProcessHandle::isAlive);
            try (Stream<Path> left = Files.walk(parent)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("pgpass"));
            }
            assertThat(Files.readString(report)).contains("\"exitCode\" : 19", "interrupted during the restore");
            assertThat(activeRestoreSessions(pg, dst)).isZero();
        } finally {
            cli.destroyForcibly();
        }
    }

    /** The pg_restore processes under the CLI's JVM (its workers are forked a moment after it starts). */
    private static List<ProcessHandle> waitForTools(ProcessHandle cli) throws InterruptedException {
        List<ProcessHandle> tools = List.of();
        for (int i = 0; i < 100 && tools.size() < 3; i++) {
            Thread.sleep(100);
            tools = cli.descendants().filter(h -> h.info().command().orElse("").endsWith("pg_restore")).toList();
        }
        return tools;
    }

    private static List<String> environmentOf(ProcessHandle p) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
        return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
    }

    /** Target sessions of the restore still working; their queries are cancelled as the tools stop. */
    private static int activeRestoreSessions(LocalPostgres pg, String dst) throws SQLException, InterruptedException {
        int active = -1;
        for (int i = 0; i < 100 && active != 0; i++) {
            try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + dst
                         + "' AND state = 'active' AND pid <> pg_backend_pid()")) {
                rs.next();
                active = rs.getInt(1);
            }
            if (active != 0) {
                Thread.sleep(100);
            }
        }
        return active;
    }
}
