package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.process.ToolException;
import io.pgrelocate.engine.process.ToolRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where pg_dump and pg_restore come from: an explicit directory, $PGRELOCATE_PG_BIN, the newest
 * Debian-style /usr/lib/postgresql/N/bin, or the PATH. The newest wins because pg_dump must be at
 * least as new as the source server.
 */
public record PgTools(Path binDir) {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    public static PgTools locate(Path explicitBinDir) {
        if (explicitBinDir != null) {
            return new PgTools(explicitBinDir);
        }
        String env = System.getenv("PGRELOCATE_PG_BIN");
        if (env != null && !env.isBlank()) {
            return new PgTools(Path.of(env));
        }
        return new PgTools(newestDebianBinDir().orElse(null));
    }

    private static Optional<Path> newestDebianBinDir() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(DEBIAN_ROOT)) {
            return dirs.map(d -> d.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_dump")))
                    .max(Comparator.comparingInt(PgTools::majorOfDir));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorOfDir(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public String pgDump() {
        return tool("pg_dump");
    }

    public String pgRestore() {
        return tool("pg_restore");
    }

    private String tool(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    /** The tool's major version, or empty when it cannot be run. */
    public OptionalInt major(String tool) {
        try {
            Matcher m = VERSION.matcher(new ToolRunner().output(List.of(tool, "--version")));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (ToolException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public String toString() {
        return binDir == null ? "PATH" : binDir.toString();
    }
}
