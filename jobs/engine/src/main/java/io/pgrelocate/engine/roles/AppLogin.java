package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.settings.SettingsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How one application logs in, pointed at the target: its name (for messages), and the target's
 * host, port and TLS with the application's own user, password and database.
 *
 * <p>Setting {@code PGRELOCATE_APP_LOGINS}: comma separated {@code NAME=file:PATH} (a file, e.g. a
 * mounted Secret key, holding the application's libpq URI or keyword string, password included) or
 * {@code NAME=env:VAR} (an environment variable holding it, e.g. from a {@code secretKeyRef}). The
 * URI's host and port are the application's (the source); only its user, password and database are used.
 */
public record AppLogin(String app, ConnectionSpec login) {
    public AppLogin {
        if (app == null || app.isBlank()) {
            throw new SettingsException("an application login needs a name");
        }
        if (login == null) {
            throw new SettingsException("application " + app + ": no login given");
        }
    }

    /** {@code user} with the password {@code password} gives, on the target's host, port and TLS, in {@code database}. */
    public static AppLogin onTarget(String app, ConnectionSpec target, String user, Supplier<String> password, String database) {
        return new AppLogin(app, new ConnectionSpec(target.host(), target.port(), database, user, Secret.of(password.get()),
                target.sslMode(), target.sslRootCert()));
    }

    public String user() {
        return login.user();
    }

    /** Parses {@code PGRELOCATE_APP_LOGINS} entries; {@code env} reads environment variables. */
    public static List<AppLogin> parse(List<String> entries, ConnectionSpec target, Function<String, String> env) {
        List<AppLogin> logins = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("application login '" + e + "': use NAME=file:PATH or NAME=env:VAR");
            }
            String app = e.substring(0, eq);
            ConnectionSpec own = ConnectionSpec.parse(read(app, e.substring(eq + 1), env));
            Secret password = own.password();
            logins.add(onTarget(app, target, own.user(), () -> password == null ? null : password.reveal(), own.database()));
        }
        return List.copyOf(logins);
    }

    private static String read(String app, String source, Function<String, String> env) {
        if (source.startsWith("env:")) {
            String value = env.apply(source.substring(4));
            if (value == null || value.isBlank()) {
                throw new SettingsException("application " + app + ": environment variable " + source.substring(4) + " is not set");
            }
            return value.trim();
        }
        if (source.startsWith("file:")) {
            try {
                return Files.readString(Path.of(source.substring(5)), StandardCharsets.UTF_8).trim();
            } catch (IOException ex) {
                throw new SettingsException("application " + app + ": cannot read " + source.substring(5) + ": " + ex.getMessage());
            }
        }
        throw new SettingsException("application " + app + ": '" + source + "' is neither file:PATH nor env:VAR");
    }

    @Override
    public String toString() {
        return app + " (" + login.display() + ")";
    }
}
