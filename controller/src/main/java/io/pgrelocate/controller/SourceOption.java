package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.settings.ConnectionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The source database for commands that only check or un-fence it: cutover and rollback. */
public class SourceOption {
    @Option(names = "--source", paramLabel = "URI",
            description = "The source database as a libpq URI, no password (it comes from $PGRELOCATE_SOURCE_PASSWORD, "
                    + "--source-password-file or ~/.pgpass).")
    String source;

    @Option(names = "--source-password-file", paramLabel = "FILE", description = "File holding the source password.")
    Path passwordFile;

    boolean given() {
        return source != null;
    }

    /** A session on the source; an unreachable source is an {@link EngineException} with its exit code, as the commands report them. */
    Db connect() {
        ConnectionSpec spec = spec().orElseThrow();
        try {
            return Db.connect(spec);
        } catch (DbConnectException e) {
            throw new EngineException(e.exitCode(), e.getMessage());
        }
    }

    Optional<ConnectionSpec> spec() {
        return source == null ? Optional.empty()
                : Optional.of(ConnectionOptions.resolve("--source", source, ConnectionOptions.SOURCE_ENV, passwordFile, "PGRELOCATE_SOURCE_PASSWORD"));
    }
}
