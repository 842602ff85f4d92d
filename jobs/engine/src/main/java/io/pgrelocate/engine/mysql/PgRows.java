package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;

import java.sql.Connection;
import java.sql.ResultSet;
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
        String sql = "SELECT " + columns.stream().map(c -> c + "::text").collect(Collectors.joining(", ")) + " FROM " + table;
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
            throw new EngineException(ExitCode.FAILED, "reading " + db.spec().display() + " table " + table + " failed: " + e.getMessage(), e);
        }
        return rows;
    }

}
