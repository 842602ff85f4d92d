package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Removes a migration's subscription (target) first, then its replication slot and publication
 * (source), found by name, so it works from a shutdown hook, after a crash, or from rollback on
 * another machine. The subscription goes first and detached (DISABLE, {@code slot_name = NONE},
 * DROP): while it lives it would stream the source into the target again as soon as a fence is
 * lifted, and a plain DROP SUBSCRIPTION needs the slot it just lost. Before the publication goes,
 * the REPLICA IDENTITY its COMMENT records as changed by consent is set back. Each side is tried again on a
 * fresh session (a restarted server, a terminated session). A slot of the same name in another
 * database belongs to another run and is left alone. Idempotent; never throws: what it could not
 * drop is in the result (a slot left behind keeps WAL on the source until its disk fills).
 */
public final class Teardown {
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);
    private static final int ATTEMPTS = 5;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

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
            subscriptionOid = retrying(target, "dropping subscription " + names.subscription() + " on " + target.display(), problems, tgt -> {
                Optional<Long> oid = Subscription.oid(tgt, names.subscription());
                // a reverse stream's subscriber is the fenced source, whose sessions start read-only
                tgt.execute("SET default_transaction_read_only = off");
                if (Subscription.drop(tgt, names.subscription())) {
                    dropped.add("subscription " + names.subscription() + " on " + target.display());
                }
                if (ReplicationRecord.drop(tgt, names)) {
                    dropped.add("replication record of " + names.migration() + " on " + target.display());
                }
                return oid;
            }).orElse(Optional.empty());
        }
        Optional<Long> oid = subscriptionOid;
        Optional<Boolean> sourceDone = retrying(source, "dropping replication slot and publication " + names.slot() + " on " + source.display(), problems, src -> {
            // a fenced source defaults to read-only, and DROP PUBLICATION writes the catalog
            src.execute("SET default_transaction_read_only = off");
            List<String> slots = new ArrayList<>(List.of(names.slot()));
            // the subscription's own initial copy (copy_data) leaves table-sync slots named after its oid
            oid.ifPresent(o -> slots.addAll(src.list(
                    "SELECT slot_name::text FROM pg_replication_slots WHERE slot_name LIKE ?", rs -> rs.getString(1),
                    "pg\\_" + o + "\\_sync\\_%")));
            for (String slot : slots) {
                if (dropSlot(src, slot)) {
                    dropped.add("replication slot " + slot + " on " + source.display());
                }
            }
            // the publication records the REPLICA IDENTITY the run changed by consent: set back before it goes
            ReplicaIdentityConsent.restoreRecorded(src, names, out).forEach(p -> {
                if (!problems.contains(p)) {
                    problems.add(p);
                }
            });
            if (Publication.drop(src, names.publication())) {
                dropped.add("publication " + names.publication() + " on " + source.display());
            }
            return Boolean.TRUE;
        });
        if (sourceDone.isEmpty()) {
            problems.add("a slot left behind retains WAL: drop it with SELECT pg_drop_replication_slot('" + names.slot() + "')");
        }
        dropped.forEach(d -> out.accept("teardown: dropped " + d));
        problems.forEach(p -> out.accept("teardown: could not finish " + p));
        return new Result(List.copyOf(dropped), List.copyOf(problems));
    }

    /** Runs {@code work} on a fresh session, again after a failure (a restart, a terminated session), naming the step if it never succeeds. */
    private <T> Optional<T> retrying(ConnectionSpec spec, String step, List<String> problems, Function<Db, T> work) {
        DbException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Db db = Db.connect(spec)) {
                return Optional.of(work.apply(db));
            } catch (DbException e) {
                last = e;
                if (attempt < ATTEMPTS) {
                    out.accept("teardown: " + step + " failed (" + e.getMessage() + "); trying again on a new session");
                    try {
                        Pause.sleep(RETRY_PAUSE);
                    } catch (RuntimeException interrupted) {
                        break;  // the JVM is stopping: say what is left rather than wait
                    }
                }
            }
        }
        problems.add(step + " (" + ATTEMPTS + " attempts): " + last.getMessage());
        return Optional.empty();
    }

    /**
     * Drops the slot once no WAL sender holds it: waits for the subscriber to let go, then ends the
     * sender. A slot of this name made for another database is another run's: left alone.
     */
    private boolean dropSlot(Db src, String slot) {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (true) {
            List<Integer> holder = src.list("""
                    SELECT coalesce(active_pid, 0) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()
                    """, rs -> rs.getInt(1), slot);
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
