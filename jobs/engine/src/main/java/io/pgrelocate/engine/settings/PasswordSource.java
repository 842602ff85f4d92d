package io.pgrelocate.engine.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills in a password the URI left out, first found wins: a file (a mounted Secret), the run's
 * environment variable ({@code PGRELOCATE_SOURCE_PASSWORD} / {@code _TARGET_}), libpq's
 * {@code PGPASSWORD} (for both sides, as pg_dump users expect), then the pgpass file
 * ({@code $PGPASSFILE}, else {@code ~/.pgpass}). Never from the command line.
 */
public final class PasswordSource {
    private final Map<String, String> env;

    public PasswordSource(Map<String, String> env) {
        this.env = env;
    }

    public static PasswordSource fromSystem() {
        return new PasswordSource(System.getenv());
    }

    /**
     * @param spec          the parsed connection
     * @param passwordFile  a file holding the password (trailing newline ignored), or null
     * @param passwordEnv   the name of an environment variable holding the password, or null
     */
    public ConnectionSpec complete(ConnectionSpec spec, Path passwordFile, String passwordEnv) {
        if (spec.password() != null) {
            return spec;
        }
        if (passwordFile != null) {
            return spec.withPassword(Secret.of(readFile(passwordFile)));
        }
        if (passwordEnv != null && !passwordEnv.isBlank()) {
            String value = env.get(passwordEnv);
            if (value == null) {
                throw new SettingsException("environment variable " + passwordEnv + " (password for "
                        + spec.display() + ") is not set");
            }
            return spec.withPassword(Secret.of(value));
        }
        if (env.get("PGPASSWORD") != null) {
            return spec.withPassword(Secret.of(env.get("PGPASSWORD")));
        }
        return fromPgpass(spec).map(spec::withPassword).orElse(spec);
    }

    private Optional<Secret> fromPgpass(ConnectionSpec spec) {
        Path pgpass = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE"))
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
        if (!Files.isReadable(pgpass)) {
            return Optional.empty();
        }
        try {
            return PgpassFile.lookup(Files.readAllLines(pgpass, StandardCharsets.UTF_8), spec).map(Secret::of);
        } catch (IOException e) {
            throw new SettingsException("cannot read pgpass file " + pgpass + ": " + e.getMessage());
        }
    }

    private static String readFile(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new SettingsException("password file " + file + " is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new SettingsException("cannot read password file " + file + ": " + e.getMessage());
        }
    }
}
