package io.pgrelocate.controller;

import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --source/--target and where their passwords come from. */
public class ConnectionOptions {
    static final String SOURCE_ENV = "PGRELOCATE_SOURCE_URI";
    static final String TARGET_ENV = "PGRELOCATE_TARGET_URI";

    @Option(names = "--source", paramLabel = "URI", defaultValue = "${env:" + SOURCE_ENV + "}",
            description = "Source as a libpq URI (postgresql://app@db:5432/app?sslmode=require) or key=value string (host=db dbname=app user=app), "
                    + "or a MySQL/MariaDB server (mysql://app@db:3306/app, mariadb://…) (default: $" + SOURCE_ENV + ").")
    String source;

    @Option(names = "--target", paramLabel = "URI", defaultValue = "${env:" + TARGET_ENV + "}",
            description = "Target libpq URI (default: $" + TARGET_ENV + "). Must be an empty database.")
    String target;

    @Option(names = "--source-password-file", paramLabel = "FILE", description = "File holding the source password (e.g. a mounted Secret).")
    Path sourcePasswordFile;

    @Option(names = "--target-password-file", paramLabel = "FILE", description = "File holding the target password.")
    Path targetPasswordFile;

    @Option(names = "--source-password-env", paramLabel = "VAR", defaultValue = "PGRELOCATE_SOURCE_PASSWORD",
            description = "Environment variable holding the source password, if set (default: ${DEFAULT-VALUE}). "
                    + "Otherwise ~/.pgpass or $PGPASSFILE is used.")
    String sourcePasswordEnv;

    @Option(names = "--target-password-env", paramLabel = "VAR", defaultValue = "PGRELOCATE_TARGET_PASSWORD",
            description = "Environment variable holding the target password, if set (default: ${DEFAULT-VALUE}).")
    String targetPasswordEnv;

    ConnectionSpec source() {
        return resolve("--source", source, SOURCE_ENV, sourcePasswordFile, sourcePasswordEnv);
    }

    /** A MySQL/MariaDB --source, with its password found by the same rules as for PostgreSQL. */
    MysqlSource mysqlSource() {
        MysqlSource parsed = MysqlUri.parse(source);
        refuseCommandLinePassword("--source", parsed.connection(), source, SOURCE_ENV);
        String envName = System.getenv(sourcePasswordEnv) == null ? null : sourcePasswordEnv;
        return parsed.complete(PasswordSource.fromSystem(), sourcePasswordFile, envName);
    }

    ConnectionSpec target() {
        return resolve("--target", target, TARGET_ENV, targetPasswordFile, targetPasswordEnv);
    }

    static ConnectionSpec resolve(String flag, String uri, String env, Path file, String passwordEnv) {
        if (uri == null || uri.isBlank()) {
            throw new SettingsException(flag + " is required (or set $" + env + ")");
        }
        ConnectionSpec spec = ConnectionSpec.parse(uri);
        refuseCommandLinePassword(flag, spec, uri, env);
        String envName = System.getenv(passwordEnv) == null ? null : passwordEnv;
        return PasswordSource.fromSystem().complete(spec, file, envName);
    }

    static void refuseCommandLinePassword(String flag, ConnectionSpec spec, String uri, String env) {
        if (spec.password() != null && !uri.equals(System.getenv(env))) {
            throw new SettingsException(flag + " holds a password, which every process on this machine can read from the "
                    + "command line: put it in $" + env + ", a password file, or ~/.pgpass instead");
        }
    }
}
