package io.pgrelocate.controller;

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
            description = "Source as a libpq URI (postgresql://app@db:5432/app?sslmode=require) or key=value string (host=db dbname=app user=app) (default: $" + SOURCE_ENV + ").")
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

    ConnectionSpec target() {
        return resolve("--target", target, TARGET_ENV, targetPasswordFile, targetPasswordEnv);
    }

    static ConnectionSpec resolve(String flag, String uri, String env, Path file, String passwordEnv) {
        if (uri == null || uri.isBlank()) {
            throw new SettingsException(flag + " is required (or set $" + env + ")");
        }
        ConnectionSpec spec = ConnectionSpec.parse(uri);
        if (spec.password() != null && !uri.equals(System.getenv(env))) {
            throw new SettingsException(flag + " holds a password, which every process on this machine can read from the "
                    + "command line: put it in $" + env + ", a password file, or ~/.pgpass instead");
        }
        String envName = System.getenv(passwordEnv) == null ? null : passwordEnv;
        return PasswordSource.fromSystem().complete(spec, file, envName);
    }
}
