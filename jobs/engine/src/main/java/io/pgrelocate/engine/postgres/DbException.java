package io.pgrelocate.engine.postgres;

import io.pgrelocate.engine.settings.ConnectionSpec;

import java.sql.SQLException;

/** A query failed; the message names the server and the SQLSTATE, never the password. */
public class DbException extends RuntimeException {
    private final String sqlState;

    public DbException(ConnectionSpec spec, SQLException cause) {
        this(spec.display() + ": " + firstLine(cause.getMessage()), cause);
    }

    protected DbException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
