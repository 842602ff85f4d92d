package io.pgrelocate.engine.process;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a child tool inherits from this process's environment: everything but the secrets. The
 * run's own passwords (PGRELOCATE_*_PASSWORD, URIs that may hold one), libpq's PGPASSWORD and
 * PGPASSFILE (the run sets its own) and any value that is a URI with a password in it.
 */
final class ChildEnvironment {
    private static final Pattern URI_WITH_PASSWORD = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@?\\s:]*:[^/@?\\s]*@.*", Pattern.DOTALL);

    private ChildEnvironment() {
    }

    static void scrub(Map<String, String> env) {
        env.entrySet().removeIf(e -> isSecret(e.getKey(), e.getValue()));
    }

    static boolean isSecret(String name, String value) {
        return name.startsWith("PGRELOCATE_") || name.equals("PGPASSWORD") || name.equals("PGPASSFILE")
                || URI_WITH_PASSWORD.matcher(value).matches();
    }
}
