package io.pgrelocate.controller;

import io.pgrelocate.engine.cnpg.ImportSource;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The source a `--variant import` cluster copies from. */
class ImportOptions {
    @Option(names = "--source-host", paramLabel = "HOST", description = "import: the source's host, e.g. its primary Service.")
    String host;

    @Option(names = "--source-port", defaultValue = "5432", paramLabel = "PORT", description = "import: the source's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--source-user", defaultValue = "postgres", paramLabel = "USER", description = "import: the source's superuser (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--source-dbname", paramLabel = "DB",
            description = "import: database to connect to (default: the imported one for microservice, else postgres).")
    String dbname;

    @Option(names = "--source-secret", paramLabel = "SECRET", description = "import: Secret in the target namespace with the source user's password.")
    String secret;

    @Option(names = "--source-secret-key", defaultValue = "password", paramLabel = "KEY", description = "import: its key (default: ${DEFAULT-VALUE}).")
    String secretKey;

    @Option(names = "--import-type", defaultValue = "microservice", paramLabel = "TYPE",
            description = "import: microservice (one database into --database, owned by --owner) or monolith (databases and roles as they are); default: ${DEFAULT-VALUE}.")
    String type;

    @Option(names = "--import-database", paramLabel = "DB",
            description = "import: database to copy; repeatable for monolith, * for all (default for microservice: --database).")
    List<String> databases = new ArrayList<>();

    @Option(names = "--import-role", paramLabel = "ROLE", description = "import, monolith: role to copy; repeatable, * for all.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--jobs", defaultValue = "2", paramLabel = "N", description = "import: parallel pg_dump/pg_restore jobs (default: ${DEFAULT-VALUE}).")
    int jobs;

    /** A discovered source's import with what the flags say instead: another host (e.g. its pooler), port, user or Secret. */
    ImportSource over(ImportSource discovered, String targetDatabase) {
        return source(targetDatabase, discovered.passwordSecret(), discovered.passwordKey());
    }

    ImportSource source(String targetDatabase) {
        if (secret == null) {
            throw new SettingsException("--variant import --source-host " + host + " needs --source-secret SECRET (the source user's "
                    + "password, in the target's namespace), or --from-source SOURCE to take it from the discovered source");
        }
        return source(targetDatabase, secret, secretKey);
    }

    private ImportSource source(String targetDatabase, String secretName, String key) {
        ImportSource.Type t = switch (type) {
            case "microservice" -> ImportSource.Type.MICROSERVICE;
            case "monolith" -> ImportSource.Type.MONOLITH;
            default -> throw new SettingsException("--import-type " + type + ": expected microservice or monolith");
        };
        List<String> dbs = databases.isEmpty() && t == ImportSource.Type.MICROSERVICE ? List.of(targetDatabase) : databases;
        String connectTo = dbname != null ? dbname : t == ImportSource.Type.MICROSERVICE ? dbs.get(0) : "postgres";
        return new ImportSource(host, port, user, connectTo, secret != null ? secret : secretName,
                secret != null ? secretKey : key, t, dbs, roles, jobs);
    }
}
