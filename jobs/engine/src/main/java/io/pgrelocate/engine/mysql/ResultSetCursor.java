package io.pgrelocate.engine.mysql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;

/** A {@link RowCursor} over a JDBC result (either engine's driver hands a text value's bytes undecoded). */
final class ResultSetCursor implements RowCursor {
    /** What ends the read's session state after the statement is closed (a commit), or nothing. */
    @FunctionalInterface
    interface Closer {
        void close() throws SQLException;
    }

    private final Statement statement;
    private final ResultSet rows;
    private final Function<SQLException, RuntimeException> failure;
    private final Closer after;

    ResultSetCursor(Statement statement, ResultSet rows, Function<SQLException, RuntimeException> failure, Closer after) {
        this.statement = statement;
        this.rows = rows;
        this.failure = failure;
        this.after = after;
    }

    @Override
    public boolean next() {
        try {
            return rows.next();
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    @Override
    public byte[] value(int i) {
        try {
            return rows.getBytes(i + 1);
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
            after.close();
        } catch (SQLException ignored) {
            // the read's outcome is already known
        }
    }
}
