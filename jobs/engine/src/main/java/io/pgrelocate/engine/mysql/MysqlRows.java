package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** Streams one table's rows from MySQL (a server-side streaming result, not the whole table in memory). */
public final class MysqlRows {
    private static final int FETCH_SIZE = 2000;

    @FunctionalInterface
    public interface RowConsumer {
        /** values[i] is a String, a byte[] (bytea and bit columns) or null. */
        void accept(Object[] values) throws Exception;
    }

    private MysqlRows() {
    }

    /** @return the number of rows read */
    public static long stream(MysqlDb db, String table, List<ColumnPlan> columns, RowConsumer consumer) {
        return stream(db, table, columns, "", consumer);
    }

    /** @param tail what follows {@code FROM table}: a WHERE clause, or "" */
    static long stream(MysqlDb db, String table, List<ColumnPlan> columns, String tail, RowConsumer consumer) {
        String sql = select(table, columns, tail);
        long rows = 0;
        try (Statement st = db.connection().createStatement()) {
            st.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = columns.size();
                boolean[] bytes = new boolean[n];
                for (int i = 0; i < n; i++) {
                    bytes[i] = columns.get(i).kind().readsBytes();
                }
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = bytes[i] ? rs.getBytes(i + 1) : rs.getString(i + 1);
                    }
                    consumer.accept(values);
                    rows++;
                }
            }
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            throw failure(db, table, e);
        }
        return rows;
    }

    /**
     * Everything but bytes as the server's own text: the driver re-renders temporal values and drops leading
     * zeros of fractional seconds (02:30:01.001 came back as 02:30:01.1).
     */
    private static String select(String table, List<ColumnPlan> columns, String tail) {
        return "SELECT " + columns.stream().map(MysqlRows::value).collect(Collectors.joining(", ")) + " FROM " + MysqlDb.quote(table) + tail;
    }

    /** bytea from the stored bytes (a text column mapped to bytea would otherwise come converted, '?' for what has no character). */
    private static String value(ColumnPlan c) {
        String col = MysqlDb.quote(c.source());
        return switch (c.kind()) {
            case BYTES -> "CAST(" + col + " AS BINARY)";
            case BIT -> col;
            default -> "CAST(" + col + " AS CHAR)";
        };
    }

    /** A streamed read as bytes (text in the session's utf8mb4, undecoded); {@code tail} as for {@link #stream}. */
    static RowCursor open(MysqlDb db, String table, List<ColumnPlan> columns, String tail) {
        String sql = select(table, columns, tail);
        try {
            Statement st = db.connection().createStatement();
            st.setFetchSize(FETCH_SIZE);
            ResultSet rs;
            try {
                rs = st.executeQuery(sql);
            } catch (SQLException e) {
                st.close();
                throw e;
            }
            return new ResultSetCursor(st, rs, e -> failure(db, table, e), () -> { });
        } catch (SQLException e) {
            throw failure(db, table, e);
        }
    }

    private static EngineException failure(MysqlDb db, String table, Exception e) {
        return new EngineException(ExitCode.COPY_FAILED, "reading " + db.source().display() + " table " + table + " failed: "
                + e.getMessage(), e);
    }
}
