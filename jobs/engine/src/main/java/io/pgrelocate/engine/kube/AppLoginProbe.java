package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.settings.ConnectionSpec;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Logs in to the target as one application would and says why that failed, or empty when it worked.
 * {@code afterCopy}: the data is there, so the role must also be able to read a table of it (a copy that
 * lost owners and grants logs in and then gets "permission denied" on every table).
 */
@FunctionalInterface
public interface AppLoginProbe {
    Optional<String> failure(ConnectionSpec login, boolean afterCopy);

    /** A plain JDBC login; the join point for the database half's engine API (apps-db). */
    AppLoginProbe JDBC = (login, afterCopy) -> {
        try (Connection c = DriverManager.getConnection(login.jdbcUrl(), login.jdbcProperties("pgrelocate-app-login"));
             Statement st = c.createStatement()) {
            if (!afterCopy) {
                return Optional.empty();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT')), count(*) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                    + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'")) {
                rs.next();
                long readable = rs.getLong(1);
                long tables = rs.getLong(2);
                return tables > 0 && readable == 0
                        ? Optional.of("logged in, but may read none of the " + tables + " table(s): owners and grants did not move with the data")
                        : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.of(e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")");
        }
    };
}
