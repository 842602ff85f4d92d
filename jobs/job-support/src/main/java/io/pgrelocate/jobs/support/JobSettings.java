package io.pgrelocate.jobs.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of every pgrelocate Job, read from the environment (a ConfigMap for the plain
 * values, a Secret for URIs and passwords). Property {@code pgrelocate.source.password-file} is the
 * environment variable {@code PGRELOCATE_SOURCE_PASSWORD_FILE}, and so on: dots and dashes become
 * underscores, letters upper case. Nothing here is read from the command line.
 */
@ConfigMapping(prefix = "pgrelocate")
public interface JobSettings {

    /** The database being moved ({@code PGRELOCATE_SOURCE_*}). */
    Endpoint source();

    /** Where it goes, e.g. a CNPG {@code <cluster>-rw} Service ({@code PGRELOCATE_TARGET_*}). */
    Endpoint target();

    /** How the data moves: dump, stream or logical ({@code PGRELOCATE_STRATEGY}). */
    @WithDefault("stream")
    String strategy();

    /** Parallel pg_dump/pg_restore workers ({@code PGRELOCATE_JOBS}). */
    @WithDefault("2")
    int jobs();

    /** Where the dump goes; needs room for the data ({@code PGRELOCATE_WORK_DIR}). */
    @WithDefault("/work")
    Path workDir();

    /** pg_dump -Z level, 0..9 ({@code PGRELOCATE_COMPRESS}). */
    @WithDefault("0")
    int compress();

    /**
     * Keep the application's owners and grants, carrying the roles they name to the target first
     * ({@code PGRELOCATE_KEEP_OWNERSHIP}, default true); false: {@code --no-owner --no-acl}, every object
     * owned by the target user and no grants.
     */
    @WithDefault("true")
    boolean keepOwnership();

    /**
     * How the roles' passwords reach the target ({@code PGRELOCATE_ROLE_PASSWORDS}): {@code carry}, the
     * stored verifiers from the source's pg_authid (needs a source user that may read it); or
     * {@code target-secret}, roles without passwords because the applications will log in with a target Secret.
     */
    @WithDefault("carry")
    String rolePasswords();

    /**
     * The applications' logins, rehearsed in preflight, their roles carried ({@code PGRELOCATE_APP_LOGINS}):
     * comma separated {@code NAME=file:PATH} (a mounted Secret key holding the application's libpq URI)
     * or {@code NAME=env:VAR}; only user, password and database are taken, the host is the target's.
     */
    Optional<List<String>> appLogins();

    /** Restore into a target database that already holds objects ({@code PGRELOCATE_ALLOW_NON_EMPTY}). */
    @WithDefault("false")
    boolean allowNonEmpty();

    /** A MySQL/MariaDB source: the PostgreSQL schema its tables go to ({@code PGRELOCATE_SCHEMA}). */
    @WithDefault("public")
    String schema();

    /** ANALYZE the target after the restore ({@code PGRELOCATE_ANALYZE}). */
    @WithDefault("true")
    boolean analyze();

    /**
     * What is left behind, comma separated: {@code schema:NAME}, {@code extension:NAME}, a bare name
     * is a schema, {@code none} leaves nothing behind ({@code PGRELOCATE_EXCLUDE}). Absent: the Spilo
     * default (schemas metric_helpers, user_management; extensions pg_stat_kcache, set_user).
     */
    Optional<List<String>> exclude();

    /** Directory with pg_dump/pg_restore ({@code PGRELOCATE_PG_BIN}); default: newest installed. */
    Optional<Path> pgBin();

    /** Also write the JSON report to this file ({@code PGRELOCATE_REPORT_FILE}). */
    Optional<Path> reportFile();

    /** Also write the report as one self-contained HTML file, for a change ticket ({@code PGRELOCATE_REPORT_HTML_FILE}). */
    Optional<Path> reportHtmlFile();

    /** Run preflight only, copy nothing ({@code PGRELOCATE_DRY_RUN}). */
    @WithDefault("false")
    boolean dryRun();

    /**
     * The migration Job's phase ({@code PGRELOCATE_PHASE}): {@code migrate} (the default: everything in one run),
     * or logical's two phases {@code replicate} and {@code switch}, or {@code abort}.
     */
    @WithDefault("migrate")
    String phase();

    /**
     * The name of this migration, a DNS label such as {@code mastodon-to-cnpg}
     * ({@code PGRELOCATE_MIGRATION}). Its replica ledger is the ConfigMap
     * {@code pgrelocate-ledger-<name>} in the job's namespace.
     */
    Optional<String> migration();

    /**
     * The applications to stop during the copy, kubectl style, comma separated:
     * {@code deployment/web,statefulset/sidekiq} ({@code PGRELOCATE_WORKLOADS}).
     */
    Optional<List<String>> workloads();

    /**
     * Where the applications go, source host = target host, comma separated:
     * {@code acid-main=main-rw,acid-main-repl=main-ro} ({@code PGRELOCATE_CUTOVER_HOSTS}). With it the
     * switchover window rewrites their settings and thaws them already on the target, the source stays
     * fenced; without it they come back on the source, and a later {@code pgrelocate cutover} checks
     * that the source did not change since the verified copy.
     */
    Optional<List<String>> cutoverHosts();

    /**
     * When a workload, ConfigMap or Secret the window changes is managed by Argo CD or Flux
     * ({@code PGRELOCATE_GITOPS}): {@code refuse} before anything changes, or {@code paused} (you paused its
     * reconciliation for the window).
     */
    @WithDefault("refuse")
    String gitops();

    /**
     * When the switchover window proves the copy ({@code PGRELOCATE_VERIFY}): {@code before-thaw}, the full
     * proof before any write reaches the target; {@code at-switch}, the sequences before the
     * thaw and row counts and content digests after it, in snapshots taken at the switch point. Absent: at-switch for
     * the logical strategy, before-thaw for the others.
     */
    Optional<String> verify();

    /** Strategy logical: the window opens once the target is this close to the source in WAL ({@code PGRELOCATE_MAX_LAG}, e.g. 16MB). */
    @WithDefault("16MB")
    String maxLag();

    /** Strategy logical: how long bulk copy and catch-up may take while the applications run ({@code PGRELOCATE_CATCH_UP_TIMEOUT}). */
    @WithDefault("24h")
    Duration catchUpTimeout();

    /** Strategy logical: how long the drain inside the window may take ({@code PGRELOCATE_DRAIN_TIMEOUT}). */
    @WithDefault("5m")
    Duration drainTimeout();

    /** Strategy logical: consent to REPLICA IDENTITY FULL on tables without a key ({@code PGRELOCATE_REPLICA_IDENTITY_FULL}). */
    @WithDefault("false")
    boolean replicaIdentityFull();

    /**
     * The applications' schema migration, run in the window against the target after the verification
     * and before they come back on it, e.g. {@code kratos migrate sql -e --yes} ({@code PGRELOCATE_SCHEMA_HOOK};
     * split at spaces, no shell; it connects through PGHOST/PGDATABASE/PGUSER and a pgpass file). A failure
     * ends the window with the applications on the source (exit 23).
     */
    Optional<String> schemaHook();

    /** How long to wait for the applications' pods to be gone ({@code PGRELOCATE_FREEZE_TIMEOUT}). */
    @WithDefault("5m")
    Duration freezeTimeout();

    /** How long to wait for the applications to be ready again ({@code PGRELOCATE_THAW_TIMEOUT}). */
    @WithDefault("10m")
    Duration thawTimeout();

    /** What the cleanup job removes once the migration is old enough ({@code PGRELOCATE_CLEANUP_*}). */
    Cleanup cleanup();

    // --- Checks of backup-test, cnpg-prepare and validation (see CheckSettings) ---

    /**
     * The tables that must exist and hold rows in the source, comma separated {@code schema.table}
     * ({@code PGRELOCATE_KEY_TABLES}); absent: the five largest tables.
     */
    Optional<List<String>> keyTables();

    /**
     * The target's read-only endpoint, e.g. CNPG's {@code <cluster>-ro} Service, as a libpq URI
     * ({@code PGRELOCATE_TARGET_RO_URI}); without a password of its own it logs in with the target's.
     * Absent: no read-only endpoint is checked.
     */
    Optional<String> targetRoUri();

    /** A target endpoint without TLS fails the check (true) or is only a warning ({@code PGRELOCATE_REQUIRE_TLS}). */
    @WithDefault("true")
    boolean requireTls();

    /**
     * Validation fails when the target is slower than the source by more than this factor over the
     * baseline queries ({@code PGRELOCATE_PERF_MAX_RATIO}, e.g. 2.0); absent: the baseline only informs.
     */
    Optional<Double> perfMaxRatio();

    /** One database connection. */
    interface Endpoint {
        /**
         * libpq URI, e.g. {@code postgresql://app@db-rw:5432/app?sslmode=require}. It may carry the
         * password, because it comes from a Secret through the environment, never from a command line.
         */
        Optional<String> uri();

        /** The password, typically from a Secret's key via {@code secretKeyRef}. */
        Optional<String> password();

        /** A file holding the password, typically a mounted Secret key. */
        Optional<Path> passwordFile();
    }

    /** The old database, removed only after the ledger proves the migration completed and was validated. */
    interface Cleanup {
        /**
         * The old database: {@code zalando/<cluster>} (a {@code postgresql} resource) or
         * {@code bitnami/<statefulset>} ({@code PGRELOCATE_CLEANUP_SOURCE}).
         */
        Optional<String> source();

        /** Days that must pass after the migration completed ({@code PGRELOCATE_CLEANUP_MIN_AGE_DAYS}). */
        @WithDefault("7")
        int minAgeDays();

        /**
         * Deletes only when this repeats the source's name; otherwise the job lists what it would
         * delete and changes nothing ({@code PGRELOCATE_CLEANUP_CONFIRM}).
         */
        Optional<String> confirm();
    }
}
