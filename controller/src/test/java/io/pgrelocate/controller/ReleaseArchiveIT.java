package io.pgrelocate.controller;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The release archive as a user installs it: unpacked anywhere, on PATH, run by kubectl as a plugin. */
class ReleaseArchiveIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String VERSION = System.getProperty("project.version");

    @TempDir
    static Path unpacked;

    static Path bin;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = TARGET.resolve("pgrelocate-" + VERSION + ".tar.gz");
        assertThat(archive).as("built by mvn package").exists();
        assertThat(run(unpacked, Map.of(), "tar", "-xzf", archive.toString()).code).isZero();
        bin = unpacked.resolve("pgrelocate-" + VERSION).resolve("bin");
    }

    @Test
    void launcherRunsTheCli() throws Exception {
        Result r = run(unpacked, Map.of(), bin.resolve("pgrelocate").toString(), "--version");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("pgrelocate 0.1.0");
    }

    @Test
    void launcherWorksThroughALink() throws Exception {
        // krew and `ln -s` install a link; the launcher must still find the jar beside itself
        Path links = Files.createDirectories(unpacked.resolve("links"));
        Files.createSymbolicLink(links.resolve("pgrelocate"), bin.resolve("pgrelocate"));
        Result r = run(unpacked, Map.of(), links.resolve("pgrelocate").toString(), "--version");
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).contains("pgrelocate 0.1.0");
    }

    @Test
    void kubectlFindsAndRunsThePlugin() throws Exception {
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        Result list = run(unpacked, env, "kubectl", "plugin", "list");
        assertThat(list.output).contains(bin.resolve("kubectl-pgrelocate").toString());
        Result help = run(unpacked, env, "kubectl", "pgrelocate", "--help");
        assertThat(help.code).as(help.output).isZero();
        assertThat(help.output).contains("Moves a live PostgreSQL database", "discover", "migrate");
    }

    @Test
    void withoutJavaTheLauncherSaysSoInOneLine() throws Exception {
        Path tools = toolsWithoutJava();
        Result r = run(unpacked, Map.of("PATH", tools.toString()), bin.resolve("pgrelocate").toString(), "--version");
        assertThat(r.code).isEqualTo(127);
        assertThat(r.output.strip()).isEqualTo("pgrelocate: no Java found: install Java 17 or newer "
                + "(Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME");
    }

    @Test
    void anOldJavaIsRefusedByName() throws Exception {
        Path oldJava = Files.createDirectories(unpacked.resolve("jdk11/bin")).resolve("java");
        Files.writeString(oldJava, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(unpacked, Map.of("PATH", toolsWithoutJava().toString(), "JAVA_HOME", unpacked.resolve("jdk11").toString()),
                bin.resolve("kubectl-pgrelocate").toString(), "--version");
        assertThat(r.code).isEqualTo(127);
        assertThat(r.output.strip()).isEqualTo("kubectl-pgrelocate: " + oldJava + " is Java 11; pgrelocate needs Java 17 or newer: "
                + "install it or set JAVA_HOME");
    }

    @Test
    void krewManifestCarriesTheArchiveChecksum() throws Exception {
        String manifest = Files.readString(TARGET.resolve("plugins/pgrelocate.yaml"));
        byte[] archive = Files.readAllBytes(TARGET.resolve("pgrelocate-" + VERSION + ".tar.gz"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        assertThat(manifest).contains("sha256: \"" + sha + "\"", "version: v" + VERSION, "bin: bin/kubectl-pgrelocate")
                .doesNotContain("@SHA256@", "@VERSION@");
    }

    @Test
    void archiveCarriesTheNotices() {
        assertThat(unpacked.resolve("pgrelocate-" + VERSION + "/THIRD-PARTY-NOTICES.md")).content().contains("PgJDBC", "Fabric8 Kubernetes Client", "PostgreSQL License");
    }

    /** A PATH with the few tools the launcher uses, and no java. */
    private static Path toolsWithoutJava() throws IOException {
        Path tools = unpacked.resolve("tools");
        if (!Files.exists(tools)) {
            Files.createDirectories(tools);
            for (String tool : List.of("dirname", "basename", "readlink", "sed")) {
                Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool));
            }
        }
        return tools;
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
