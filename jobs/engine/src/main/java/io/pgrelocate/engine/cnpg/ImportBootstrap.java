package io.pgrelocate.engine.cnpg;

import io.pgrelocate.engine.cnpg.ImportSource.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bootstrap.initdb.import}: CNPG copies the source with pg_dump/pg_restore while the cluster is created. */
public final class ImportBootstrap {
    /** The name of the source in {@code spec.externalClusters}. */
    public static final String SOURCE_NAME = "source";

    private ImportBootstrap() {
    }

    public static Map<String, Object> bootstrap(ClusterShape shape, ImportSource source) {
        Map<String, Object> importSection = Fields.of(
                "type", source.type().crdValue(),
                "databases", source.databases(),
                "roles", source.roles(),
                "source", Fields.of("externalCluster", SOURCE_NAME),
                // CNPG dumps in directory format (-Fd) itself, so parallel jobs work and no format option is added
                "pgDumpExtraOptions", List.of("--jobs=" + source.jobs()),
                "pgRestoreExtraOptions", restoreOptions(source));
        return Fields.of("initdb", Fields.of("database", shape.database(), "owner", shape.owner(), "import", importSection));
    }

    /**
     * A microservice import lands in a database owned by the new owner; the source's roles do not exist
     * in the target, so their ownership and grants are left out. A monolith import brings the roles,
     * so ownership and grants are kept.
     */
    private static List<String> restoreOptions(ImportSource source) {
        List<String> options = new ArrayList<>(List.of("--jobs=" + source.jobs()));
        if (source.type() == Type.MICROSERVICE) {
            options.addAll(List.of("--no-owner", "--no-acl"));
        }
        return options;
    }

    /** The source as CNPG connects to it: TLS required (Zalando's pg_hba refuses anything else), password from its Secret. */
    public static List<Map<String, Object>> externalClusters(ImportSource source) {
        Map<String, Object> connection = Fields.of(
                "host", source.host(),
                "port", String.valueOf(source.port()),
                "user", source.user(),
                "dbname", source.dbname(),
                "sslmode", "require");
        return List.of(Fields.of(
                "name", SOURCE_NAME,
                "connectionParameters", connection,
                "password", Fields.of("name", source.passwordSecret(), "key", source.passwordKey())));
    }
}
