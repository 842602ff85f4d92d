package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Says what a replication slot's creation waits for: PostgreSQL builds the slot's snapshot only
 * once every transaction that was open when it began has ended, so one session idle in a
 * transaction (or a prepared transaction) stalls it without a word. After {@link #FIRST} and then
 * every {@link #EVERY} it names them: pid, user, database, state, how long open.
 */
final class SlotWait implements AutoCloseable {
    static final Duration FIRST = Duration.ofSeconds(3);
    static final Duration EVERY = Duration.ofSeconds(15);

    private final Thread thread;

    private SlotWait(ConnectionSpec source, String slot, Consumer<String> out) {
        thread = new Thread(() -> watch(source, slot, out), "pgrelocate-slot-wait");
        thread.setDaemon(true);
    }

    static SlotWait start(ConnectionSpec source, String slot, Consumer<String> out) {
        SlotWait w = new SlotWait(source, slot, out);
        w.thread.start();
        return w;
    }

    private static void watch(ConnectionSpec source, String slot, Consumer<String> out) {
        try {
            Thread.sleep(FIRST.toMillis());
            try (Db db = Db.connect(source)) {
                while (!Thread.currentThread().isInterrupted()) {
                    List<String> open = new ArrayList<>(db.list("""
                            SELECT 'session ' || pid || ' of ' || coalesce(usename, '?') || ' on ' || coalesce(datname, '?')
                                   || ' (' || coalesce(state, '?') || ', transaction open ' || date_trunc('second', now() - xact_start) || ')'
                              FROM pg_stat_activity
                             WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL
                             ORDER BY xact_start""", rs -> rs.getString(1)));
                    open.addAll(db.list("""
                            SELECT 'prepared transaction ' || quote_literal(gid) || ' of ' || owner || ' on ' || database
                                   || ' (prepared ' || date_trunc('second', now() - prepared) || ' ago)' FROM pg_prepared_xacts ORDER BY prepared""",
                            rs -> rs.getString(1)));
                    if (!open.isEmpty()) {
                        out.accept("logical: creating slot " + slot + " waits until these transactions end, open since before it: "
                                + String.join("; ", open) + " — commit or end them (pg_terminate_backend(pid), ROLLBACK PREPARED)");
                    }
                    Thread.sleep(EVERY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DbException e) {
            out.accept("logical: cannot tell what creating slot " + slot + " waits for: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
