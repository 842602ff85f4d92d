package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpCopy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.testing.TestServers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh source database on the wal_level=logical server and a fresh target database on the
 * plain one, with the helpers the logical tests share.
 */
final class LogicalPair {
    final LocalPostgres sourceServer;
    final LocalPostgres targetServer = TestServers.pg15();
    final String sourceDb;
    final String targetDb;
    final LogicalNames names;
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    LogicalPair(String prefix) {
        this(prefix, TestServers.pg15Logical());
    }

    /** With a source server of the test's own (settings of its own, a restart). */
    LogicalPair(String prefix, LocalPostgres sourceServer) {
        this.sourceServer = sourceServer;
        sourceDb = TestServers.freshDatabase(sourceServer, prefix + "_src");
        targetDb = TestServers.freshDatabase(targetServer, prefix + "_dst");
        names = LogicalNames.of(sourceDb);
    }

    ConnectionSpec source() {
        return TestServers.spec(sourceServer, sourceDb);
    }

    ConnectionSpec target() {
        return TestServers.spec(targetServer, targetDb);
    }

    LogicalOptions options() {
        return LogicalOptions.defaults(sourceDb, ObjectFilter.SPILO_DEFAULT).withReportEvery(Duration.ofMillis(500));
    }

    CopyOptions copyOptions() {
        return TestServers.copyOptions(TestServers.workDir(), false);
    }

    /** With pg_dump/pg_restore from the slot's snapshot as the bulk copier. */
    LogicalStrategy withDumpRestore(LogicalOptions options) {
        CopyOptions copy = copyOptions();
        return new LogicalStrategy(source(), target(), options, copy, new DumpCopy(copy, this::print, Clock.systemUTC()),
                this::print, Clock.systemUTC());
    }

    void print(String line) {
        log.add(line);
        System.out.println(line);
    }

    void source(String sql) {
        sourceServer.executeSql(sourceDb, sql);
    }

    void target(String sql) {
        targetServer.executeSql(targetDb, sql);
    }

    String sourceValue(String sql) {
        return value(sourceServer, sourceDb, sql);
    }

    String targetValue(String sql) {
        return value(targetServer, targetDb, sql);
    }

    static String value(LocalPostgres pg, String db, String sql) {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** What is left of this migration on both servers: slots, publications, subscriptions, by name. */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        if (!"0".equals(sourceValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + names.slot() + "'"))) {
            left.add("slot");
        }
        if (!"0".equals(sourceValue("SELECT count(*) FROM pg_publication WHERE pubname = '" + names.publication() + "'"))) {
            left.add("publication");
        }
        if (!"0".equals(targetValue("SELECT count(*) FROM pg_subscription WHERE subname = '" + names.subscription() + "'"))) {
            left.add("subscription");
        }
        return left;
    }
}
