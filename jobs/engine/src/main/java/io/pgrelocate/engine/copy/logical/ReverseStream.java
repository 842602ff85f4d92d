package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The stream back from the target to the fenced source after a logical switch, so that a rollback
 * loses no write the applications made on the target: a publication and a slot on the target,
 * made in the window before the thaw (the slot's consistent point is the target's position at the
 * switch), and a subscription on the source with {@code copy_data = false} on that slot.
 * <p>
 * The source's fence lets it through and nothing else: the apply worker is no client session (the
 * fence and its watch end client sessions only), it runs as the subscription's owner (a superuser,
 * not bound by CONNECT), and it does not check {@code default_transaction_read_only} (ReverseFenceTest
 * proves both sides). The subscription has {@code disable_on_error}: DDL on the target (a new table,
 * a new column) stops it, and {@link #stopped} says so instead of it retrying silently.
 * <p>
 * Its names are {@code pgrelocate__<migration>} (two underscores: no forward migration name, which
 * starts with a letter or digit, can produce it), distinct from the forward stream's.
 */
public final class ReverseStream {
    private static final String PREFIX = LogicalNames.PREFIX + "_";

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final LogicalNames names;
    private final Consumer<String> out;

    public ReverseStream(ConnectionSpec source, ConnectionSpec target, String migration, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.names = names(migration);
        this.out = out;
    }

    /** The reverse stream's publication, slot and subscription name for {@code migration}. */
    public static LogicalNames names(String migration) {
        String forward = LogicalNames.of(migration).name();
        String name = PREFIX + forward.substring(LogicalNames.PREFIX.length());
        if (name.length() > 63) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "migration name '" + migration + "' is too long for the reverse stream's "
                    + name + " (at most " + (LogicalNames.MAX - 1) + " characters)");
        }
        return new LogicalNames(migration, name);
    }

    public LogicalNames names() {
        return names;
    }

    /**
     * At the switch point, the applications still stopped, before the target is announced live:
     * publication and slot on the target, so that the slot's consistent point is the target's
     * position at the switch. Refuses (REPLICATION, nothing left behind) when an UPDATE on the
     * target would fail for want of a replica identity once published. Returns that position.
     */
    public String mark(ObjectFilter filter, boolean replicaIdentityFull) {
        try (Db tgt = Db.connect(target)) {
            endForwardApply(tgt);
            // the forward run's own record on the target (schema pgrelocate) is no table of the source's
            java.util.Set<String> excluded = new java.util.HashSet<>(filter.excludedSchemas());
            excluded.add(ReplicationRecord.SCHEMA);
            SourceTables tables = new SourceTables(tgt, new ObjectFilter(excluded, filter.excludedExtensions()));
            List<String> noIdentity = tables.withoutReplicaIdentity();
            if (!noIdentity.isEmpty() && !replicaIdentityFull) {
                throw new EngineException(ExitCode.REPLICATION, "table(s) " + Lists.some(noIdentity) + " on the target have no primary key"
                        + " or replica identity: published, their UPDATE and DELETE would fail for the applications"
                        + " (--replica-identity-full consents to FULL)");
            }
            for (String table : noIdentity) {
                // the consent the forward stream had (--replica-identity-full) holds for the way back
                tgt.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
                out.accept("logical: set REPLICA IDENTITY FULL on the target's " + table + " for the reverse stream (it has no primary key;"
                        + " ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT once the reverse stream is gone)");
            }
            try {
                Publication.createWhole(tgt, names, tables, new Introspector(tgt, filter).version().major());
                return tgt.text("SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')", names.slot());
            } catch (RuntimeException e) {
                drop();
                throw e;
            }
        }
    }

    /**
     * The forward stream ends where the reverse one begins: its subscription (drained) is disabled
     * and its apply worker gone, which also flushes the worker's statistics, so that the switch
     * point counts every row it applied and nothing more arrives from the source.
     */
    private void endForwardApply(Db tgt) {
        String forward = LogicalNames.of(names.migration()).subscription();
        if (Subscription.oid(tgt, forward).isEmpty()) {
            return;
        }
        List<Integer> workers = tgt.list("SELECT pid FROM pg_stat_subscription WHERE subname = ? AND pid IS NOT NULL",
                rs -> rs.getInt(1), forward);
        tgt.execute("ALTER SUBSCRIPTION " + Db.quoteIdent(forward) + " DISABLE");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // gone from pg_stat_activity: its exit hooks ran, statistics flushed (pg_stat_subscription lets go of it earlier)
        String pids = workers.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("0");
        while (tgt.longValue("SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + pids + ")") > 0) {
            if (System.nanoTime() > deadline) {
                throw new EngineException(ExitCode.REPLICATION, "the forward subscription's apply worker did not stop within 30s");
            }
            Pause.sleep(Duration.ofMillis(20));
        }
    }

    /**
     * Once the forward stream is gone (else each write would loop between the two servers): the
     * subscription on the fenced source, on the slot {@link #mark} made, {@code copy_data = false}.
     */
    public void subscribe() {
        try (Db src = Db.connect(source)) {
            // the fenced source starts every session read-only; CREATE SUBSCRIPTION writes its catalog
            src.execute("SET default_transaction_read_only = off");
            Subscription.create(src, names, target, null, false);  // the target's password: no passfile on the source's host
            if (new Introspector(src, ObjectFilter.NONE).version().major() >= 15) {
                src.execute("SET default_transaction_read_only = off");
                src.execute("ALTER SUBSCRIPTION " + Db.quoteIdent(names.subscription()) + " SET (disable_on_error = true)");
            }
        } catch (RuntimeException e) {
            drop();
            throw e;
        }
    }

    /**
     * The migration whose reverse stream is on these servers, by the record its objects carry (the
     * subscription in the source database, the publication in the target database): {@code known}
     * when it has one there or none has one, else the one found.
     */
    public static String migration(Db source, Db target, String known) {
        java.util.TreeSet<String> found = new java.util.TreeSet<>(source == null ? List.of() : Subscription.recorded(source));
        if (target != null) {
            found.addAll(Publication.recorded(target));
        }
        found.removeIf(m -> !m.matches("[a-z0-9][a-z0-9_-]*") || ((source == null || Subscription.oid(source, names(m).subscription()).isEmpty())
                && (target == null || target.longValue("SELECT count(*) FROM pg_publication WHERE pubname = ?", names(m).publication()) == 0)));
        return found.isEmpty() || found.contains(known) || found.size() > 1 ? known : found.first();
    }

    /** Whether anything of {@code migration}'s reverse stream is left: the subscription on the source, the publication or slot on the target. */
    public static boolean anyLeft(Db source, Db target, String migration) {
        LogicalNames n = names(migration);
        return exists(source, migration) || target.longValue("SELECT count(*) FROM pg_publication WHERE pubname = ?", n.publication()) > 0
                || target.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()", n.slot()) > 0;
    }

    /** Whether the source holds this migration's reverse subscription. */
    public static boolean exists(Db source, String migration) {
        return Subscription.oid(source, names(migration).subscription()).isPresent();
    }

    /**
     * Why the reverse stream does not apply, if it does not: its subscription is gone or disabled
     * (an apply error: DDL on the target), or the target's slot is gone. Reads only.
     */
    public Optional<String> stopped(Db src, Db tgt) {
        List<String> state = src.list("""
                SELECT s.subenabled::text || ' ' || coalesce((SELECT apply_error_count FROM pg_stat_subscription_stats t
                                                               WHERE t.subid = s.oid), 0)
                  FROM pg_subscription s WHERE s.subname = ?
                   AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""",
                rs -> rs.getString(1), names.subscription());
        if (state.isEmpty()) {
            return Optional.of("the reverse subscription " + names.subscription() + " is gone from " + source.display());
        }
        String[] enabledErrors = state.get(0).split(" ");
        if (!enabledErrors[0].equals("true")) {
            return Optional.of("the reverse stream " + names.subscription() + " STOPPED after " + enabledErrors[1] + " apply error(s)"
                    + " (DDL on the target? the source's log names it): the target's writes since then are not on the source");
        }
        if (tgt.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()",
                names.slot()) == 0) {
            return Optional.of("the reverse stream's slot " + names.slot() + " is gone from " + target.display());
        }
        return Optional.empty();
    }

    /** One line for {@code status}: the stream's state, its lag and the WAL its slot keeps on the target. */
    public String statusLine() {
        try (Db src = Db.connect(source); Db tgt = Db.connect(target)) {
            Optional<String> stopped = stopped(src, tgt);
            if (stopped.isPresent()) {
                return "reverse stream: " + stopped.get();
            }
            return tgt.one("""
                    SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint
                      FROM pg_replication_slots WHERE slot_name = ?""", rs -> "reverse stream " + names.slot() + ": applying on "
                    + source.display() + ", " + io.pgrelocate.engine.common.Durations.bytes(rs.getLong(1)) + " behind, its slot retains "
                    + io.pgrelocate.engine.common.Durations.bytes(rs.getLong(2)) + " of WAL on " + target.display(), names.slot());
        }
    }

    /** With the target fenced: waits until the source has applied the target's final position. */
    public Drain.Result drain(Db tgt, Duration timeout, Clock clock) {
        return new Drain(tgt, names, clock, out).run(timeout);
    }

    /**
     * Subscription (source) first, then slot and publication (target); with no source (gone after
     * cleanup) the target's side only. Never throws: the result names what is left.
     */
    public Teardown.Result drop() {
        return new Teardown(target, source, names, out).run();
    }
}
