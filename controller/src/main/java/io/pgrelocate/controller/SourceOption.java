package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The source database for commands that only check or un-fence it: cutover and rollback. */
public class SourceOption {
    @Option(names = "--source", paramLabel = "URI",
            description = "The source database as a libpq URI (or mysql://, mariadb:// for a MySQL/MariaDB source), no password (it comes from $PGRELOCATE_SOURCE_PASSWORD, "
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

    /** Whether --source names a MySQL/MariaDB server, whose fence is lifted by its own rules. */
    boolean mysql() {
        return MysqlUri.isMysql(source);
    }

    /** A MySQL/MariaDB --source, its password as for PostgreSQL ($PGRELOCATE_SOURCE_PASSWORD or --source-password-file). */
    MysqlSource mysqlSource() {
        MysqlSource parsed = MysqlUri.parse(source);
        ConnectionOptions.refuseCommandLinePassword("--source", parsed.connection(), source, ConnectionOptions.SOURCE_ENV);
        return parsed.complete(PasswordSource.fromSystem(), passwordFile,
                System.getenv("PGRELOCATE_SOURCE_PASSWORD") == null ? null : "PGRELOCATE_SOURCE_PASSWORD");
    }

    Optional<ConnectionSpec> spec() {
        return source == null ? Optional.empty()
                : Optional.of(ConnectionOptions.resolve("--source", source, ConnectionOptions.SOURCE_ENV, passwordFile, "PGRELOCATE_SOURCE_PASSWORD"));
    }
}
