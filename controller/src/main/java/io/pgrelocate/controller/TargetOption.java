package io.pgrelocate.controller;

import io.pgrelocate.engine.settings.ConnectionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The target database for rollback: where a logical run's subscription (with the source password in its catalog) is dropped. */
public class TargetOption {
    @Option(names = "--target", paramLabel = "URI",
            description = "The target database as a libpq URI, no password (it comes from $PGRELOCATE_TARGET_PASSWORD, "
                    + "--target-password-file or ~/.pgpass): a logical migration's subscription there is dropped first, so the "
                    + "target never streams from the source again and DROP DATABASE works on it.")
    String target;

    @Option(names = "--target-password-file", paramLabel = "FILE", description = "File holding the target password.")
    Path passwordFile;

    /** The target, or null when not given. */
    ConnectionSpec specOrNull() {
        return target == null ? null
                : ConnectionOptions.resolve("--target", target, ConnectionOptions.TARGET_ENV, passwordFile, "PGRELOCATE_TARGET_PASSWORD");
    }
}
