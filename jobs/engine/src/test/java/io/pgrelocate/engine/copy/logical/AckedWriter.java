package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.local.LocalPostgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application that inserts rows one by one in autocommit and records each insert the server
 * acknowledged: those are the writes a migration must not lose.
 */
final class AckedWriter implements AutoCloseable {
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    AckedWriter(LocalPostgres pg, String db, String table) {
        thread = new Thread(() -> {
            try (Connection c = pg.connect(db);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id, note) VALUES (?, ?)")) {
                long id = 0;
                while (running.get()) {
                    id++;
                    ps.setLong(1, id);
                    ps.setString(2, "acked write " + id);
                    ps.executeUpdate();
                    acknowledged.add(id);
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException e) {
                failure = e;
            }
        }, "acked-writer");
        thread.start();
    }

    int count() {
        return acknowledged.size();
    }

    List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Stops after the insert in flight; fails the test if the writer itself failed. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
        if (failure != null) {
            throw new IllegalStateException("the writer failed: " + failure.getMessage(), failure);
        }
    }
}
