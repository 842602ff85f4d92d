package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The doors REVOKE CONNECT leaves open, watched while the fence stands: a superuser, or a client
 * of the tool's own role (applications that share it, e.g. the database owner), can still log in
 * and write. Every {@link #POLL} it looks for client sessions on the fenced database that are not
 * the tool's own (its role with application name {@value Db#APPLICATION_NAME}), names each once,
 * and ends it; {@link #intruders()} lists them so the switch is refused. A session shorter than one
 * poll can slip through: the report says so. It ends when the fence is lifted, also by another process.
 */
final class FenceWatch implements AutoCloseable {
    static final Duration POLL = Duration.ofMillis(100);

    private final ConnectionSpec spec;
    private final Consumer<String> out;
    private final Map<String, String> intruders = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String broken;

    private FenceWatch(ConnectionSpec spec, Consumer<String> out) {
        this.spec = spec;
        this.out = out;
        this.thread = new Thread(this::loop, "pgrelocate-fence-watch");
        thread.setDaemon(true);
    }

    static FenceWatch start(ConnectionSpec spec, Consumer<String> out) {
        FenceWatch w = new FenceWatch(spec, out);
        w.thread.start();
        return w;
    }

    /** The sessions that came in since the fence, one line each; plus the watch's own failure, if it failed. */
    synchronized List<String> intruders() {
        List<String> all = new ArrayList<>(intruders.values());
        if (broken != null) {
            all.add("(the watch itself failed: " + broken + ")");
        }
        return all;
    }

    private void loop() {
        try (Db db = Db.connect(spec)) {
            // until the fence is lifted, by this process or by a rollback elsewhere
            while (running && !Thread.currentThread().isInterrupted() && Fence.read(db).isPresent()) {
                sweep(db).forEach(this::record);
                LockSupport.parkNanos(POLL.toNanos()); // close() unparks: the switch does not wait out a poll
            }
        } catch (DbException | IllegalStateException e) {
            broken = e.getMessage();
        }
    }

    /** Ends every client session on {@code db}'s database that is not the tool's own; one line for each. */
    static List<String> sweep(Db db) {
        return db.list("""
                        SELECT a.pid, a.usename, a.application_name, coalesce(host(a.client_addr), 'local socket'), r.rolsuper,
                               CASE WHEN NOT r.rolsuper OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                                    THEN pg_terminate_backend(a.pid) END
                          FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
                         WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
                           AND NOT (a.usename = current_user AND a.application_name = ?)
                        """, rs -> "session " + rs.getInt(1) + " of " + (rs.getBoolean(5) ? "superuser " : "") + rs.getString(2)
                        + " (application '" + rs.getString(3) + "', from " + rs.getString(4) + ")", Db.APPLICATION_NAME);
    }

    private synchronized void record(String line) {
        if (intruders.putIfAbsent(line, line) == null) {
            out.accept("fence: " + line + " connected to the fenced database and was ended; the switch will be refused");
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
