package io.pgrelocate.engine.copy;

/**
 * Session settings of the stream strategy's connections. Text COPY output must read back the same
 * on another server, so the settings that change it are fixed; pg_restore's empty search_path keeps
 * definitions fully qualified; no timeout of the server's may end a long COPY or the idle
 * snapshot-holding transaction.
 */
final class StreamSessions {
    private static final String COMMON = "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC';"
            + " SET extra_float_digits = 3; SET lc_monetary = 'C'; SET search_path = '';"
            + " SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0;";

    /** A policy that would hide rows from the copy raises an error instead (row_security = off). */
    static final String SOURCE_SETTINGS = COMMON + " SET bytea_output = 'hex'; SET row_security = off";

    /** The target is rebuilt from scratch if the copy fails, so its commits need not wait for the disk. */
    static final String TARGET_SETTINGS = COMMON + " SET synchronous_commit = off";

    private StreamSessions() {
    }
}
