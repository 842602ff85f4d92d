package io.pgrelocate.engine.cnpg;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.List;
import java.util.Locale;

/**
 * The source CNPG's import bootstrap connects to (as an {@code externalCluster}), and what it imports.
 *
 * @param passwordSecret the source's Secret, in the target namespace, holding the password under passwordKey
 * @param databases      microservice: exactly one; monolith: the databases to copy ({@code *} for all)
 * @param roles          monolith only: the roles to copy ({@code *} for all)
 * @param jobs           parallel pg_dump/pg_restore jobs
 */
public record ImportSource(String host, int port, String user, String dbname, String passwordSecret,
                           String passwordKey, Type type, List<String> databases, List<String> roles, int jobs) {
    public enum Type {
        /** One database into the cluster's application database, owned by its owner. */
        MICROSERVICE,
        /** A whole instance: several databases and their roles, ownership kept. */
        MONOLITH;

        public String crdValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ImportSource {
        if (host == null || host.isBlank() || user == null || user.isBlank() || passwordSecret == null || passwordSecret.isBlank()) {
            throw new SettingsException("an import needs the source host, user and the Secret with its password");
        }
        dbname = dbname == null || dbname.isBlank() ? "postgres" : dbname;
        passwordKey = passwordKey == null || passwordKey.isBlank() ? "password" : passwordKey;
        databases = databases == null ? List.of() : List.copyOf(databases);
        roles = roles == null ? List.of() : List.copyOf(roles);
        if (type == Type.MICROSERVICE && databases.size() != 1) {
            throw new SettingsException("a microservice import copies exactly one database, got " + databases
                    + "; use a monolith import for several");
        }
        if (type == Type.MICROSERVICE && !roles.isEmpty()) {
            throw new SettingsException("a microservice import copies no roles; use a monolith import for " + roles);
        }
        if (type == Type.MONOLITH && databases.isEmpty()) {
            throw new SettingsException("a monolith import needs the databases to copy (or *)");
        }
        if (jobs < 1) {
            throw new SettingsException("import jobs must be at least 1, got " + jobs);
        }
    }
}
