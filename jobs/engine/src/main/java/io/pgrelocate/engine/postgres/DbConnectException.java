package io.pgrelocate.engine.postgres;

import io.pgrelocate.engine.ExitCode;

import io.pgrelocate.engine.settings.ConnectionSpec;

import java.sql.SQLException;

/** The server could not be reached or refused the login. */
public class DbConnectException extends DbException {
    public enum Reason { UNREACHABLE, AUTHENTICATION, NO_DATABASE, TLS, OTHER }

    private final Reason reason;

    private DbConnectException(String message, Reason reason, SQLException cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The process exit code for this failure: a missing database is a settings mistake. */
    public ExitCode exitCode() {
        return switch (reason) {
            case AUTHENTICATION -> ExitCode.AUTHENTICATION;
            case NO_DATABASE -> ExitCode.BAD_SETTINGS;
            default -> ExitCode.UNREACHABLE;
        };
    }

    static DbConnectException from(ConnectionSpec spec, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String detail = firstLine(e.getMessage());
        Reason reason;
        String hint;
        if (spec.password() == null && detail.contains("no password was provided")) {
            reason = Reason.AUTHENTICATION;
            detail = "the server asks for a password and none was found";
            hint = "set $PGRELOCATE_SOURCE_PASSWORD / $PGRELOCATE_TARGET_PASSWORD, a password file (--source-password-file, "
                    + "--target-password-file), $PGPASSWORD, or a line in ~/.pgpass ($PGPASSFILE)";
        } else if (state.equals("28P01") || state.equals("28000")) {
            reason = Reason.AUTHENTICATION;
            hint = "check the user and the password (Secret, password file or pgpass)";
        } else if (state.equals("3D000")) {
            reason = Reason.NO_DATABASE;
            hint = "create the database first or fix the database name";
        } else if (state.startsWith("08")) {
            boolean tls = detail.toLowerCase().contains("ssl");
            reason = tls ? Reason.TLS : Reason.UNREACHABLE;
            hint = tls ? "check sslmode and the root certificate" : "check host, port, network policy and that the server runs";
        } else {
            reason = Reason.OTHER;
            hint = "see the server log";
        }
        return new DbConnectException("cannot connect to " + spec.display() + ": " + detail + " — " + hint, reason, e);
    }
}
