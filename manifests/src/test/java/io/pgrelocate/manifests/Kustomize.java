package io.pgrelocate.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize}, the same kustomize users run. */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 60;

    private Kustomize() {
    }

    static String build(Path dir) {
        Path errors = null;
        try {
            errors = Files.createTempFile("kustomize", ".err");
            Process process = start(dir, errors);
            String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + dir + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n"
                        + Files.readString(errors));
            }
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        } finally {
            deleteQuietly(errors);
        }
    }

    private static Process start(Path dir, Path errors) {
        try {
            return new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(errors.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is needed to render the manifests (`kubectl kustomize`) but could not be run: "
                    + e.getMessage() + ". Install it with scripts/setup.sh or `apt-get install -y kubectl`.", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stray temp file is not worth failing a test for
            }
        }
    }
}
