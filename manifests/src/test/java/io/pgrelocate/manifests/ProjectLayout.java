package io.pgrelocate.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the kustomizations are: manifests/, kustomize/base and every directory under kustomize/overlays. */
final class ProjectLayout {

    static final Path ROOT = findRoot(Path.of("").toAbsolutePath());
    static final Path MANIFESTS = ROOT.resolve("manifests");
    static final Path BASE = ROOT.resolve("kustomize/base");
    static final Path OVERLAYS = ROOT.resolve("kustomize/overlays");

    private ProjectLayout() {
    }

    /** Every overlay directory, discovered, so that a new environment is tested without touching the tests. */
    static List<Path> overlays() {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** manifests/, the base and every overlay: everything a user may render. */
    static List<Path> allRenderable() {
        List<Path> dirs = new ArrayList<>(List.of(MANIFESTS, BASE));
        dirs.addAll(overlays());
        return dirs;
    }

    /** The path a person would type, for test names and messages. */
    static String display(Path dir) {
        return ROOT.relativize(dir).toString();
    }

    /** Maven runs the tests in manifests/, an IDE perhaps in the project root: look upwards. */
    private static Path findRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("manifests/kustomization.yaml")) && Files.isDirectory(dir.resolve("kustomize/overlays"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no manifests/kustomization.yaml with kustomize/overlays beside it above " + start);
    }
}
