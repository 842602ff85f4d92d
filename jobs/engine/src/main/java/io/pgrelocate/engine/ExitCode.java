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
    PRIVILEGES(10, "the target user lacks a needed privilege"),
    COPY_FAILED(11, "dump or restore failed"),
    DIFFERENCES(12, "verification found differences");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
