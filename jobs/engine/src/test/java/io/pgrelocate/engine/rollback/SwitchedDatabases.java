package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.testing.TestServers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A fresh source and target database on the wal_level=logical server, the local switch between them, and what the rollback tests read. */
final class SwitchedDatabases {
    final LocalPostgres pg = TestServers.pg15Logical();
    final String source;
    final String target;
    final String name;

    SwitchedDatabases(String prefix) {
        source = TestServers.freshDatabase(pg, prefix + "_src");
        target = TestServers.freshDatabase(pg, prefix + "_dst");
        name = prefix + "_" + source;
    }

    /** A local {@code migrate --switchover} with {@code strategy}, every line to {@code out}. */
    MigrationReport migrate(Strategy strategy, Consumer<String> out) {
        LogicalSettings logical = new LogicalSettings(name, 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false);
        MigrationSettings settings = new MigrationSettings(TestServers.spec(pg, source), TestServers.spec(pg, target),
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(strategy), false, null, null, logical);
        return new Migration(settings, out, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    String value(String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The ids in {@code writes}, the AckedWriter's table. */
    List<Long> ids(String db) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM writes")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    /** What is left of this migration's streams, either way: slots, subscriptions, publications. */
    String leftovers() throws SQLException {
        return value(source, "SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '%" + name + "') || ' slot(s), '"
                + " || (SELECT count(*) FROM pg_subscription WHERE subname LIKE '%" + name + "') || ' subscription(s)'")
                + ", " + value(target, "SELECT count(*) || ' publication(s)' FROM pg_publication");
    }

    static final String NOTHING_LEFT = "0 slot(s), 0 subscription(s), 0 publication(s)";
}
