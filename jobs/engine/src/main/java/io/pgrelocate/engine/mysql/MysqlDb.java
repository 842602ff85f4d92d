package io.pgrelocate.engine.mysql;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Db.RowMapper;
import org.mariadb.jdbc.Driver;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** One session to a MySQL/MariaDB server, in UTC and utf8mb4, with the query shapes the engine needs. */
public final class MysqlDb implements AutoCloseable {
    // The driver itself rather than DriverManager (Quarkus class loaders, as in postgres.Db).
    private static final Driver DRIVER = new Driver();

    private final MysqlSource source;
    private final Connection connection;

    private MysqlDb(MysqlSource source, Connection connection) {
        this.source = source;
        this.connection = connection;
    }

    /** Connects, or throws an {@link EngineException} whose exit code says why (3 unreachable, 4 login, 2 no database). */
    public static MysqlDb connect(MysqlSource source) {
        Connection c;
        try {
            c = DRIVER.connect(source.jdbcUrl(), source.jdbcProperties());
        } catch (SQLException e) {
            throw connectFailure(source, e);
        }
        MysqlDb db = new MysqlDb(source, c);
        // timestamp values are read in UTC; text in utf8mb4 whatever the column's charset.
        db.execute("SET time_zone = '+00:00', NAMES utf8mb4, SESSION sql_mode = ''");
        return db;
    }

    private static EngineException connectFailure(MysqlSource source, SQLException e) {
        String detail = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        String where = "cannot connect to " + source.display() + ": " + detail + " — ";
        return switch (e.getErrorCode()) {
            case 1045, 1698 -> new EngineException(ExitCode.AUTHENTICATION,
                    where + "check the user and the password (Secret, password file or PGRELOCATE_SOURCE_PASSWORD)", e);
            case 1049 -> new EngineException(ExitCode.BAD_SETTINGS, where + "fix the database name in the URI", e);
            case 1044 -> new EngineException(ExitCode.PRIVILEGES,
                    where + "GRANT SELECT, SHOW VIEW ON db.* TO the user", e);
            default -> new EngineException(ExitCode.UNREACHABLE,
                    where + "check host, port, network policy and that the server runs", e);
        };
    }

    public MysqlSource source() {
        return source;
    }

    public Connection connection() {
        return connection;
    }

    public String version() {
        return text("SELECT VERSION()");
    }

    public <T> List<T> list(String sql, RowMapper<T> mapper, Object... params) {
        try {
            return Db.query(connection, sql, mapper, params);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public String text(String sql, Object... params) {
        List<String> rows = list(sql, rs -> rs.getString(1), params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public void execute(String sql) {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private EngineException failure(String sql, SQLException e) {
        ExitCode code = e.getErrorCode() == 1142 || e.getErrorCode() == 1143 ? ExitCode.PRIVILEGES : ExitCode.FAILED;
        return new EngineException(code, source.display() + ": " + e.getMessage() + " (in: " + sql + ")", e);
    }

    /** A backquoted MySQL identifier. */
    public static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a failed session tells nothing new
        }
    }
}
