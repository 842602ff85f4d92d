package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/** Streams a PostgreSQL table's columns as PostgreSQL's own text output, in fixed session settings. */
public final class PgRows {
    /** The settings every canonical reading assumes. */
    public static final String SESSION = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET IntervalStyle = 'postgres'; "
            + "SET extra_float_digits = 1; SET bytea_output = 'hex'";
    private static final int FETCH_SIZE = 2000;

    @FunctionalInterface
    public interface TextRowConsumer {
        void accept(String[] values) throws Exception;
    }

    private PgRows() {
    }

    /** @param table a qualified, quoted table name; {@code columns} quoted column names */
    public static long stream(Db db, String table, List<String> columns, TextRowConsumer consumer) {
        return stream(db, table, columns, "", consumer);
    }

    /** @param tail what follows {@code FROM table}: a WHERE clause, or "" */
    static long stream(Db db, String table, List<String> columns, String tail, TextRowConsumer consumer) {
        String sql = select(table, columns, tail);
        Connection c = db.connection();
        long rows = 0;
        try {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(SESSION);
                st.setFetchSize(FETCH_SIZE);
                try (ResultSet rs = st.executeQuery(sql)) {
                    int n = columns.size();
                    while (rs.next()) {
                        String[] values = new String[n];
                        for (int i = 0; i < n; i++) {
                            values[i] = rs.getString(i + 1);
                        }
                        consumer.accept(values);
                        rows++;
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(auto);
            }
        } catch (EngineException e) {
            throw e;
        } catch (Exception e) {
            throw failure(db, table, e);
        }
        return rows;
    }

    private static String select(String table, List<String> columns, String tail) {
        return "SELECT " + columns.stream().map(c -> c + "::text").collect(Collectors.joining(", ")) + " FROM " + table + tail;
    }

    /**
     * A streamed read as the bytes of each value's text, undecoded; {@code tail} as for {@link #stream}. Sorting
     * is off in the transaction, so an ORDER BY on the key reads its index rather than sorting the slice (and JIT,
     * which costs more than it saves on such a scan).
     */
    static RowCursor open(Db db, String table, List<String> columns, String tail) {
        String sql = select(table, columns, tail);
        Connection c = db.connection();
        try {
            c.setAutoCommit(false);
            Statement st = c.createStatement();
            ResultSet rs;
            try {
                st.execute(SESSION + "; SET LOCAL enable_sort = off; SET LOCAL jit = off");
                st.setFetchSize(FETCH_SIZE);
                rs = st.executeQuery(sql);
            } catch (SQLException e) {
                st.close();
                c.rollback();
                throw e;
            }
            return new ResultSetCursor(st, rs, e -> failure(db, table, e), () -> {
                c.commit();
                c.setAutoCommit(true);
            });
        } catch (SQLException e) {
            throw failure(db, table, e);
        }
    }

    private static EngineException failure(Db db, String table, Exception e) {
        return new EngineException(ExitCode.FAILED, "reading " + db.spec().display() + " table " + table + " failed: " + e.getMessage(), e);
    }

}
