package io.pgrelocate.manifests;

import org.junit.jupiter.api.Named;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Arguments for parameterized tests, named by the path a person would type. */
final class Dirs {

    private Dirs() {
    }

    /** manifests, kustomize/base and every overlay. */
    static Stream<Named<Path>> all() {
        return named(ProjectLayout.allRenderable());
    }

    /** Every directory under kustomize/overlays. */
    static Stream<Named<Path>> overlays() {
        return named(ProjectLayout.overlays());
    }

    private static Stream<Named<Path>> named(List<Path> dirs) {
        return dirs.stream().map(dir -> Named.of(ProjectLayout.display(dir), dir));
    }
}
