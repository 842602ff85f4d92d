package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A logical replication slot (pgoutput) created over a replication connection, with the snapshot
 * it exported: a bulk copy from that snapshot sees exactly the rows before the slot's consistent
 * point, the slot streams everything after it. The snapshot lives while this connection stays
 * idle; {@link #close()} ends it and keeps the slot (teardown drops the slot).
 */
public final class ExportedSlot implements AutoCloseable {
    private static final Driver DRIVER = new Driver();

    private final Connection connection;
    private final ReplicationSlotInfo info;

    private ExportedSlot(Connection connection, ReplicationSlotInfo info) {
        this.connection = connection;
        this.info = info;
    }

    /** CREATE_REPLICATION_SLOT … LOGICAL pgoutput, exporting its snapshot (the default since PostgreSQL 10). */
    public static ExportedSlot create(ConnectionSpec source, String slotName) {
        Properties p = source.jdbcProperties(Db.APPLICATION_NAME);
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");  // the replication protocol takes simple queries only
        Connection c;
        try {
            c = DRIVER.connect(source.jdbcUrl(), p);
        } catch (SQLException e) {
            throw new EngineException(ExitCode.COPY_FAILED, "cannot open a replication connection to " + source.display()
                    + ": " + e.getMessage() + " (pg_hba.conf must allow it: a line for database 'replication')", e);
        }
        try {
            ReplicationSlotInfo info = c.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName(slotName).withOutputPlugin("pgoutput").make();
            return new ExportedSlot(c, info);
        } catch (SQLException e) {
            close(c);
            throw new EngineException(ExitCode.COPY_FAILED, "cannot create replication slot " + slotName + " on "
                    + source.display() + ": " + e.getMessage()
                    + ("42710".equals(e.getSQLState()) ? " (left by an earlier run? tear it down first)" : ""), e);
        }
    }

    /** The exported snapshot's id, for {@code SET TRANSACTION SNAPSHOT} or {@code pg_dump --snapshot}. */
    public String snapshot() {
        return info.getSnapshotName();
    }

    /** Where the stream starts: the first change the snapshot does not see. */
    public String consistentPoint() {
        return info.getConsistentPoint().asString();
    }

    @Override
    public void close() {
        close(connection);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the slot outlives the connection either way
        }
    }
}
