package io.pgrelocate.engine.postgres;

import io.pgrelocate.engine.settings.ConnectionSpec;
import org.postgresql.Driver;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One JDBC session to one database, with the few query shapes the engine needs. */
public final class Db implements AutoCloseable {
    public static final String APPLICATION_NAME = "pgrelocate";

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * The driver itself rather than DriverManager, which only hands out drivers that the caller's
     * class loader sees: a Quarkus app under test runs in a class loader of its own.
     */
    private static final Driver DRIVER = new Driver();

    private final ConnectionSpec spec;
    private final Connection connection;

    private Db(ConnectionSpec spec, Connection connection) {
        this.spec = spec;
        this.connection = connection;
    }

    /** Connects, or throws {@link DbConnectException} with a one-line reason that names the server. */
    public static Db connect(ConnectionSpec spec) {
        try {
            Connection c = DRIVER.connect(spec.jdbcUrl(), spec.jdbcProperties(APPLICATION_NAME));
            return new Db(spec, c);
        } catch (SQLException e) {
            throw DbConnectException.from(spec, e);
        }
    }

    public ConnectionSpec spec() {
        return spec;
    }

    public Connection connection() {
        return connection;
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        try {
            return query(connection, sql, mapper, params);
        } catch (SQLException e) {
            throw new DbException(spec, e);
        }
    }

    /** A parameterised query's rows on any JDBC connection (the MySQL sessions use it too). */
    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public <T> T one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = list(sql, mapper, params);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from: " + sql + ", got " + rows.size());
        }
        return rows.get(0);
    }

    public long longValue(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params);
    }

    public String text(String sql, Object... params) {
        return one(sql, rs -> rs.getString(1), params);
    }

    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new DbException(spec, e);
        }
    }

    /** A double-quoted identifier, as quote_ident would make it. */
    public static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String qualified(String schema, String name) {
        return quoteIdent(schema) + "." + quoteIdent(name);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a session that already failed tells us nothing new
        }
    }
}
