package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Progress inside the tables being copied, from the server's {@code pg_stat_progress_copy}
 * (PostgreSQL 14 and newer): the rows each running COPY has moved so far, which {@link TableProgress}
 * weighs against the table's estimated rows. pg_dump's COPY TO runs on the source, pg_restore's COPY
 * FROM on the target. Without that view (older servers) progress moves per finished table only.
 */
final class ServerCopyProgress implements AutoCloseable {
    private static final String SQL = """
            SELECT n.nspname || '.' || c.relname, p.tuples_processed
              FROM pg_stat_progress_copy p JOIN pg_class c ON c.oid = p.relid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE p.datname = current_database()
            """;

    private final Thread poller;

    private ServerCopyProgress(Thread poller) {
        this.poller = poller;
    }

    /** Polls {@code server} every {@code every} into {@code progress} until closed. */
    static ServerCopyProgress start(ConnectionSpec server, TableProgress progress, Duration every) {
        Thread t = new Thread(() -> poll(server, progress, every), "copy-progress");
        t.setDaemon(true);
        t.start();
        return new ServerCopyProgress(t);
    }

    private static void poll(ConnectionSpec server, TableProgress progress, Duration every) {
        try (Db db = Db.connect(server)) {
            while (!Thread.currentThread().isInterrupted()) {
                Map<String, Long> rows = new HashMap<>();
                db.list(SQL, rs -> rows.put(rs.getString(1), rs.getLong(2)));
                progress.inFlight(rows);
                Thread.sleep(every.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DbException e) {
            // no pg_stat_progress_copy (PostgreSQL 13 and older) or no connection to spare: per-table progress only
        }
    }

    @Override
    public void close() {
        poller.interrupt();
    }
}
