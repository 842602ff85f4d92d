package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Removes a migration's subscription (target), replication slot and publication (source), found
 * by name, so it works from a shutdown hook, after a crash, or from rollback on another machine.
 * Idempotent; never throws: what it could not drop is in the result (a slot left behind keeps WAL
 * on the source until its disk fills, so the caller must say so loudly).
 */
public final class Teardown {
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    /** What was dropped, and what could not be (one line each, with the reason). */
    public record Result(List<String> dropped, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final LogicalNames names;
    private final Consumer<String> out;

    /** {@code target} null: only the source's slot and publication (what retains WAL), e.g. from a rollback that knows only the source. */
    public Teardown(ConnectionSpec source, ConnectionSpec target, LogicalNames names, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.names = names;
        this.out = out;
    }

    public synchronized Result run() {
        List<String> dropped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Optional<Long> subscriptionOid = Optional.empty();
        if (target != null) {
            try (Db tgt = Db.connect(target)) {
                subscriptionOid = Subscription.oid(tgt, names.subscription());
                if (Subscription.drop(tgt, names.subscription())) {
                    dropped.add("subscription " + names.subscription() + " on " + target.display());
                }
            } catch (DbException e) {
                problems.add("subscription " + names.subscription() + " on " + target.display() + ": " + e.getMessage());
            }
        }
        try (Db src = Db.connect(source)) {
            // a fenced source defaults to read-only, and DROP PUBLICATION writes the catalog
            src.execute("SET default_transaction_read_only = off");
            List<String> slots = new ArrayList<>(List.of(names.slot()));
            // the subscription's own initial copy (copy_data) leaves table-sync slots named after its oid
            subscriptionOid.ifPresent(oid -> slots.addAll(src.list(
                    "SELECT slot_name::text FROM pg_replication_slots WHERE slot_name LIKE ?", rs -> rs.getString(1),
                    "pg\\_" + oid + "\\_sync\\_%")));
            for (String slot : slots) {
                if (dropSlot(src, slot)) {
                    dropped.add("replication slot " + slot + " on " + source.display());
                }
            }
            if (Publication.drop(src, names.publication())) {
                dropped.add("publication " + names.publication() + " on " + source.display());
            }
        } catch (DbException e) {
            problems.add("replication slot/publication " + names.slot() + " on " + source.display() + ": " + e.getMessage()
                    + " — a slot left behind retains WAL: drop it with SELECT pg_drop_replication_slot('" + names.slot() + "')");
        }
        dropped.forEach(d -> out.accept("teardown: dropped " + d));
        problems.forEach(p -> out.accept("teardown: could not drop " + p));
        return new Result(List.copyOf(dropped), List.copyOf(problems));
    }

    /** Drops the slot once no WAL sender holds it: waits for the subscriber to let go, then ends the sender. */
    private boolean dropSlot(Db src, String slot) {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (true) {
            List<Integer> holder = src.list("SELECT coalesce(active_pid, 0) FROM pg_replication_slots WHERE slot_name = ?",
                    rs -> rs.getInt(1), slot);
            if (holder.isEmpty()) {
                return false;
            }
            if (holder.get(0) == 0) {
                try {
                    src.one("SELECT pg_drop_replication_slot(?)", rs -> null, slot);
                    return true;
                } catch (DbException e) {
                    if (!"55006".equals(e.sqlState())) {  // object_in_use: taken again in between, try again
                        throw e;
                    }
                }
            } else if (System.nanoTime() > deadline) {
                src.one("SELECT pg_terminate_backend(?)", rs -> null, holder.get(0));
            }
            Pause.sleep(Duration.ofMillis(200));
        }
    }
}
