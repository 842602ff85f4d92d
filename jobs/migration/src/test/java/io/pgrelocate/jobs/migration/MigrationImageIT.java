package io.pgrelocate.jobs.migration;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The migration image as the CronJob runs it (uid 1001, read-only root, /tmp a tmpfs, /work a volume),
 * loaded into podman and run against PostgreSQL 14 (source) and 15 (target) on the loopback
 * address. The container sees only its image, a tmpfs and an anonymous volume, so the pg_dump it names is the
 * image's. Passwords reach podman through its environment ({@code -e NAME}), never its arguments.
 */
class MigrationImageIT {
    private static final String PG_BIN = "/usr/lib/postgresql/15/bin";
    private static final Path IMAGE_TAR = Path.of("target/jib-image.tar");

    @Test
    void migrationImageCopiesAndVerifiesWithItsOwnPgDump() throws Exception {
        Result info = podman(Map.of(), "info");
        runOnlyIf(info.code != -1, "podman is not installed (scripts/setup.sh installs it)");
        runOnlyIf(info.code == 0, "podman cannot run here: " + info.out);
        runOnlyIf(Files.exists(IMAGE_TAR), "no " + IMAGE_TAR + "; the image-smoke profile builds it where"
                + " /usr/sbin/debootstrap exists (scripts/setup.sh installs it)");
        String image = "pgrelocate/migration:" + System.getProperty("project.version", "latest");
        Result load = podman(Map.of(), "load", "-q", "-i", IMAGE_TAR.toString());
        assertThat(load.code).as(load.out).isZero();
        Result version = podman(Map.of(), "run", "--rm", "--runtime", "runc", "--entrypoint", PG_BIN + "/pg_dump", image, "--version");
        System.out.println("image pg_dump: " + version.out.strip());
        assertThat(version.out).startsWith("pg_dump (PostgreSQL) 15.");

        LocalPostgres source = TestServers.pg14();
        LocalPostgres target = TestServers.pg15();
        String src = TestServers.freshDatabase(source, "img_src");
        String dst = TestServers.freshDatabase(target, "img_dst");
        source.executeSql(src, TestServers.resource("/fixtures/full-coverage.sql"));
        Map<String, String> env = Map.of(
                "PGRELOCATE_SOURCE_URI", source.uri(src), "PGRELOCATE_SOURCE_PASSWORD", TestServers.PASSWORD,
                "PGRELOCATE_TARGET_URI", target.uri(dst), "PGRELOCATE_TARGET_PASSWORD", TestServers.PASSWORD,
                "PGRELOCATE_WORK_DIR", "/work/dump", "PGRELOCATE_JOBS", "2", "PGRELOCATE_STRATEGY", "dump");
        List<String> run = new ArrayList<>(List.of("run", "--rm", "--runtime", "runc", "--network", "host",
                "--user", "1001:1001", "--read-only", "--tmpfs", "/tmp", "-v", "/work")); // (podman 4.3 mounts a tmpfs on /work as root 0755)
        env.keySet().forEach(name -> run.addAll(List.of("-e", name)));
        run.add(image);

        long start = System.nanoTime();
        Result job = podman(env, run.toArray(String[]::new));
        System.out.printf("--- migration image output (%.1f s) ---%n%s--- end ---%n", (System.nanoTime() - start) / 1e9, job.out);

        assertThat(job.code).as(job.out).isZero();
        assertThat(job.out).containsPattern("preflight: ok .*pg_dump 15 from " + PG_BIN)
                .contains("dump: " + PG_BIN + "/pg_dump --format=directory")
                .containsPattern("verify  \\d+ tables, \\d+ rows")
                .contains("no differences: row counts, content digests")
                .containsPattern("result  SUCCESS in .* \\(exit 0\\)")
                .doesNotContain(TestServers.PASSWORD);
    }

    /** A skip says why in the build log, not only in the XML report: a skip is not a pass. */
    private static void runOnlyIf(boolean condition, String reason) {
        if (!condition) {
            System.out.println("MigrationImageIT SKIPPED, the image was NOT tested: " + reason);
        }
        assumeTrue(condition, reason);
    }

    private record Result(int code, String out) {
    }

    /** Runs podman with the given extra environment; code -1 when podman is not installed. */
    private static Result podman(Map<String, String> env, String... args) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("podman"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(124, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }
}
