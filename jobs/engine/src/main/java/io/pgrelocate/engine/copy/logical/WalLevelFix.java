package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;

/**
 * How to turn on {@code wal_level=logical} on the kind of server the source is. Spilo (Zalando),
 * Bitnami and the managed services each set it elsewhere; all need a restart.
 */
final class WalLevelFix {
    static final String ZALANDO = "Zalando: set spec.postgresql.parameters.wal_level: logical in the postgresql resource"
            + " (the operator restarts the primary)";
    static final String BITNAMI = "Bitnami: set primary.extendedConfiguration: \"wal_level = logical\" in the chart values"
            + " (the pod rolls)";
    static final String MANAGED = "managed service: set wal_level=logical (RDS/Aurora: rds.logical_replication = 1,"
            + " Cloud SQL: cloudsql.logical_decoding = on) in its parameter group, then restart";

    private WalLevelFix() {
    }

    /** The fix for the detected kind, or all three when the kind is unknown. */
    static String forSource(Db db) {
        String hint = db.text("""
                SELECT CASE
                  WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname IN ('metric_helpers', 'user_management'))
                    OR EXISTS (SELECT 1 FROM pg_available_extensions WHERE name IN ('pg_stat_kcache', 'set_user') AND installed_version IS NOT NULL)
                    OR EXISTS (SELECT 1 FROM pg_settings WHERE name = 'data_directory' AND setting LIKE '%/pgroot/%') THEN 'spilo'
                  WHEN EXISTS (SELECT 1 FROM pg_settings WHERE name = 'data_directory' AND setting LIKE '/bitnami/%') THEN 'bitnami'
                  WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname IN ('rds_superuser', 'azure_pg_admin', 'cloudsqlsuperuser')) THEN 'managed'
                  ELSE 'unknown' END
                """);
        return switch (hint) {
            case "spilo" -> ZALANDO;
            case "bitnami" -> BITNAMI;
            case "managed" -> MANAGED;
            default -> ZALANDO + "; " + BITNAMI + "; " + MANAGED;
        };
    }
}
