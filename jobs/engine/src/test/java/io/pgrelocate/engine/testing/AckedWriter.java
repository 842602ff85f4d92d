package io.pgrelocate.engine.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An application that keeps writing: inserts ids 1, 2, 3… into {@code writes(id)} of whatever
 * database {@link #pointAt} last named, as the role it is given, and records each acknowledged
 * insert. A failed insert (connection lost, read-only, refused login) is retried with the same id
 * until one is acknowledged; a duplicate key means an earlier, unacknowledged attempt did commit.
 */
public final class AckedWriter implements AutoCloseable {
    private final String user;
    private final String password;
    private final AtomicReference<String> jdbcUrl;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AckedWriter(String jdbcUrl, String user, String password) {
        this.jdbcUrl = new AtomicReference<>(jdbcUrl);
        this.user = user;
        this.password = password;
        this.thread = new Thread(this::loop, "acked-writer");
        thread.start();
    }

    /** From now on writes go to this database (what a cutover does to an application's settings). */
    public void pointAt(String url) {
        jdbcUrl.set(url);
    }

    public List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    private void loop() {
        long id = 1;
        Connection c = null;
        String connectedTo = null;
        while (running.get()) {
            try {
                String url = jdbcUrl.get();
                if (c == null || !url.equals(connectedTo)) {
                    close(c);
                    c = DriverManager.getConnection(url, user, password);
                    connectedTo = url;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO writes(id) VALUES (?)")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                acknowledged.add(id++);
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState()) || e.getErrorCode() == 1062) { // PostgreSQL's and MySQL's duplicate key
                    acknowledged.add(id++);
                    continue;
                }
                failures.add(e.getMessage());
                close(c);
                c = null;
                pause(20);
            }
            pause(2);
        }
        close(c);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a connection the fence terminated closes with an error; nothing to do
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
