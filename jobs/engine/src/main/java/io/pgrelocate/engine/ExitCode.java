package io.pgrelocate.engine;

/** Process exit codes: one per class of failure, so a Job's status says what went wrong. */
public enum ExitCode {
    OK(0, "success"),
    FAILED(1, "unexpected error"),
    BAD_SETTINGS(2, "bad settings or usage"),
    UNREACHABLE(3, "a database cannot be reached"),
    AUTHENTICATION(4, "a database refused the login"),
    VERSION(5, "incompatible PostgreSQL versions"),
    TARGET_NOT_EMPTY(6, "the target database is not empty"),
    MISSING_EXTENSION(7, "an extension is missing on the target"),
    NO_SPACE(8, "not enough free space for the dump"),
    TOOLS(9, "pg_dump/pg_restore missing or too old"),
    PRIVILEGES(10, "a database user lacks a needed privilege (the message names the source or the target)"),
    COPY_FAILED(11, "dump or restore failed"),
    DIFFERENCES(12, "verification found differences"),
    KUBERNETES(13, "the Kubernetes API refused or failed a request"),
    LEDGER(14, "the replica ledger forbids this step (another migration, or the wrong state)"),
    APPS_NOT_RESTORED(15, "applications did not come back to their recorded replicas: run pgrelocate rollback"),
    JOB_UNFINISHED(16, "the Job did not finish in time; it may still be running"),
    CHECK_FAILED(17, "a check of the source or target failed (TLS, read-only endpoint, key tables, integrity)"),
    NOTHING_TO_MIGRATE(18, "nothing to migrate: no source database found, or the application uses an external database"),
    INTERRUPTED(19, "stopped by SIGTERM or SIGINT; before the switch what had begun is undone (the source writable, the applications back), after it the target stays live and the source fenced"),
    FENCE(20, "the source could not be fenced against writes, or un-fenced"),
    SOURCE_CHANGED(21, "the source changed after the verified copy, or its schema changed during catch-up: re-sync before cutting over"),
    REPLICATION(22, "logical replication cannot be used or did not catch up (wal_level, slots, REPLICATION privilege, replica identity, lag, a slot the source invalidated)"),
    HOOK_FAILED(23, "the applications' schema-migration hook failed; the applications stay on the source"),
    TARGET_WRITES(24, "rollback after the switch refused: the target took writes since the switch that no reverse stream brings back (named in the message); --discard-target-writes loses them");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The constant for a process exit code; unknown codes are {@link #FAILED}. */
    public static ExitCode of(int code) {
        for (ExitCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return FAILED;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
