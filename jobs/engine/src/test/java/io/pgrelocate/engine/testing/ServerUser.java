package io.pgrelocate.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The OS user local servers run as: {@code postgres} when the tests run as root (initdb and postgres
 * refuse root), else the current user. Files a server reads must belong to it.
 */
public final class ServerUser {
    static final boolean IS_POSTGRES = "root".equals(System.getProperty("user.name"));

    private ServerUser() {
    }

    /** A new temporary directory the server user can enter. */
    public static Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return give(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code file} the server user's (when that is another user). */
    public static Path give(Path file) {
        if (IS_POSTGRES) {
            try {
                Files.setOwner(file, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** {@code command} run as the server user. */
    static List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(IS_POSTGRES ? List.of("runuser", "-u", "postgres", "--") : List.of());
        full.addAll(command);
        return full;
    }
}
