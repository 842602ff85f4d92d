package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real control plane of {@code shared/k8s} (etcd, kube-apiserver, kube-controller-manager), one per
 * test JVM, in {@code target/kube-control-plane}. Closed by JUnit at the end of the run; a shutdown hook
 * stops it too when the JVM ends another way, so no process outlives the build.
 */
final class ControlPlane implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final String SCRIPT = "control-plane.sh";
    private static final long UP_SECONDS = 240;

    private final Path script;
    private final Path dir;
    private final Config admin;
    private final Thread hook = new Thread(this::down, "control-plane-down");

    private ControlPlane(Path script, Path dir) {
        this.script = script;
        this.dir = dir;
        down(); // a JVM killed before its hook ran leaves pid files: stop exactly those processes first
        deleteTree(dir);
        Runtime.getRuntime().addShutdownHook(hook);
        run(UP_SECONDS, "up");
        try {
            this.admin = Config.fromKubeconfig(Files.readString(dir.resolve("kubeconfig")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the control plane, or says why there is none to start. */
    static ControlPlane start(Path scriptDir) {
        return new ControlPlane(scriptDir.resolve(SCRIPT), Path.of("target", "kube-control-plane").toAbsolutePath());
    }

    /**
     * {@code shared/k8s} beside the project or one of its parents ({@code /work/main}, a worktree
     * {@code /work/wt/x}, a CI clone with {@code shared/} next to it), else {@code /work/shared/k8s}.
     * {@code -Dpgrelocate.k8s=DIR} names it, {@code -Dpgrelocate.k8s=none} skips the real-server tests.
     */
    static Optional<Path> find() {
        String given = System.getProperty("pgrelocate.k8s");
        if (given != null) {
            return given.equals("none") ? Optional.empty() : Optional.of(Path.of(given)).filter(d -> Files.isExecutable(d.resolve(SCRIPT)));
        }
        List<Path> candidates = new ArrayList<>();
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            candidates.add(d.resolve("../shared/k8s").normalize());
        }
        candidates.add(Path.of("/work/shared/k8s"));
        return candidates.stream().filter(c -> Files.isExecutable(c.resolve(SCRIPT))).findFirst();
    }

    /** The admin (system:masters) connection; every call gets a fresh copy to change. */
    Config adminConfig() {
        return new io.fabric8.kubernetes.client.ConfigBuilder(admin).build();
    }

    Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    @Override
    public void close() {
        down();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs down() once more, which is harmless
        }
        deleteTree(dir); // the admin key and the CA live there
    }

    private void down() {
        if (Files.isDirectory(dir.resolve("run"))) {
            run(60, "down");
        }
    }

    private void run(long seconds, String command) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolveSibling("kube-control-plane-" + command + ".log");
            Process p = new ProcessBuilder(script.toString(), command, dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " " + command + " took more than " + seconds + " s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " " + command + " failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
