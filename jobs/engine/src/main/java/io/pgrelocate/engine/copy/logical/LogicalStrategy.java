package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.BulkCopier;
import io.pgrelocate.engine.copy.DumpRestore;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.roles.RoleCarrier;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The logical strategy between two servers, knowing nothing of Kubernetes or applications:
 * {@link #preflight()}, {@link #setup} (publication, slot with an exported snapshot, bulk copy from
 * it, subscription), {@link #catchUp} while the applications run; then, inside the window the
 * caller opens (source frozen and fenced), {@link #checkSchemaUnchanged()}, {@link #drain},
 * {@link #carryRest()} and {@link #teardown()}. Teardown is idempotent and also runs on
 * {@link #close()}, and after a failed setup.
 */
public final class LogicalStrategy implements AutoCloseable {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final LogicalOptions options;
    private final CopyOptions copyOptions;
    private final BulkCopier bulk;
    private final Consumer<String> out;
    private final Clock clock;
    private final Teardown teardown;
    private final ReplicaIdentityConsent identities;
    private final LargeObjectSync largeObjects = new LargeObjectSync();
    private Db src;
    private Db tgt;
    private SchemaFingerprint startSchema;
    /** The catalogs' version when the fingerprint last matched the start: while it holds, the fingerprint needs no new reading. */
    private CatalogVersion verified;
    /** What the start fingerprint left out: the options' filter, or the one replicate recorded. */
    private ObjectFilter schemaFilter;
    private CatchUpMonitor monitor;
    private Thread shutdownHook;
    /** Whether this run made its publication: before that, teardown has nothing of its own to drop (an object of that name is another run's). */
    private volatile boolean made;
    /** The run's record on the target, from {@link #setup} or {@link #attach}. */
    private ReplicationRecord record;

    /**
     * @param bulk the copier that moves the schema and rows from the slot's snapshot (DumpRestore, the
     *             stream copier); null: the subscription copies the rows (copy_data) between the two
     *             halves of the schema
     */
    public LogicalStrategy(ConnectionSpec source, ConnectionSpec target, LogicalOptions options, CopyOptions copyOptions,
                           BulkCopier bulk, Consumer<String> out, Clock clock) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.copyOptions = copyOptions;
        this.bulk = bulk;
        this.out = out;
        this.clock = clock;
        this.teardown = new Teardown(source, target, options.names(), out);
        this.identities = new ReplicaIdentityConsent(out);
    }

    public PreflightResult preflight() {
        return new LogicalPreflight(options, bulk == null).run(source, target);
    }

    /** Everything up to a running subscription; on failure tears down what it made and rethrows. */
    public void setup(List<TableInfo> tables, List<RoleInfo> roles) {
        Instant start = clock.instant();
        try {
            src = Db.connect(source);
            tgt = Db.connect(target);
            int major = new Introspector(src, options.filter()).version().major();
            SourceTables sourceTables = new SourceTables(src, options.filter());
            String publication = Publication.create(src, options.names(), sourceTables, major);
            made = true;
            out.accept("logical: " + publication);
            if (options.replicaIdentityFull()) {
                // recorded in the publication's comment first: teardown and rollback set it back from there, even after a SIGKILL
                identities.setFull(src, options.names(), sourceTables.withoutReplicaIdentity());
            }
            // before the slot: DDL between the two is then reported (safe), never missed
            startSchema = SchemaFingerprint.take(src, options.filter());
            try (ExportedSlot slot = createSlot()) {
                out.accept("logical: slot " + options.names().slot() + " at " + slot.consistentPoint() + ", snapshot " + slot.snapshot());
                record = new ReplicationRecord(options.names().migration(), start, slot.consistentPoint(), startSchema,
                        options.filter().excludedSchemas());
                if (bulk != null) {
                    // each table recorded on the target once its data is in: a stopped run resumes from there
                    try (BulkCopyLedger ledger = BulkCopyLedger.begin(target, record, out)) {
                        if (!bulk.recordInto(ledger)) {
                            BulkCopyLedger.forget(tgt, options.names());
                        }
                        bulk.copy(source, target, tables, roles, slot.snapshot());
                    }
                    slot.close();
                    Subscription.create(tgt, options.names(), publisher(), options.publisherPassfile(), false);
                } else {
                    try (SchemaCopy schema = new SchemaCopy(new DumpRestore(copyOptions, out, clock), source, target, copyOptions.workDir())) {
                        // the restore keeps owners and grants: their roles first, as the bulk copiers do
                        RoleCarrier.carryIfKept(copyOptions.keepOwnership(), copyOptions.rolePasswords(), source, target, roles, out);
                        schema.beforeData(src, slot.snapshot());
                        slot.close();
                        Subscription.create(tgt, options.names(), publisher(), options.publisherPassfile(), true);
                        awaitInitialCopy();
                        schema.afterData();
                    }
                }
            }
            ownOnTarget();
            record.write(tgt);
            BulkCopyLedger.forget(tgt, options.names());
            out.accept("logical: subscription " + options.names().subscription() + " streaming, setup took "
                    + Durations.human(Duration.between(start, clock.instant())));
            monitor = new CatchUpMonitor(src, tgt, options.names(), options.maxLag(), clock);
        } catch (RuntimeException e) {
            Teardown.Result r = teardown();
            if (!r.clean()) {
                e.addSuppressed(new EngineException(ExitCode.FAILED, "teardown after the failed setup: " + String.join("; ", r.problems())));
            }
            throw e;
        }
    }

    /** Whether a {@code replicate} of this migration stopped during its bulk copy left its progress on the target. */
    public boolean bulkCopyStopped() {
        try (Db db = Db.connect(target)) {
            return BulkCopyLedger.read(db, options.names()).isPresent();
        }
    }

    /**
     * Completes the bulk copy a stopped {@code replicate} left ({@link BulkResume}): keeps the tables it
     * recorded complete, has the subscription copy the others again, then writes the run's record.
     * A failure leaves slot, publication, subscription and ledger for another rerun (or abort).
     */
    public void resume(Duration timeout) {
        LogicalNames names = options.names();
        src = Db.connect(source);
        tgt = Db.connect(target);
        BulkCopyLedger.Progress stopped = BulkCopyLedger.read(tgt, names).orElseThrow();
        record = new BulkResume(src, tgt, names, publisher(), options.publisherPassfile(), options.reportEvery(), out, clock)
                .run(stopped, new DumpRestore(copyOptions, out, clock), source, target, copyOptions.workDir(), timeout);
        startSchema = record.sourceSchema();
        schemaFilter = record.schemaFilter();
        made = true;
        ownOnTarget();
        record.write(tgt);
        BulkCopyLedger.forget(tgt, names);
        out.accept("logical: subscription " + names.subscription() + " streaming after the resumed bulk copy");
        monitor = new CatchUpMonitor(src, tgt, names, options.maxLag(), clock);
    }

    /**
     * The replication a {@code replicate} run left streaming, found by the migration's name: its
     * record on the target, the subscription, the slot. Refuses (REPLICATION) when any is missing;
     * then the start schema is the recorded one, and teardown may drop what it finds.
     */
    public ReplicationRecord attach() {
        LogicalNames names = options.names();
        src = Db.connect(source);
        tgt = Db.connect(target);
        ReplicationRecord found = ReplicationRecord.read(tgt, names).orElseThrow(() -> new EngineException(ExitCode.REPLICATION,
                "no replication " + names.subscription() + " recorded on " + target.display() + ": run pgrelocate replicate --migration "
                        + names.migration() + " first"));
        if (Subscription.oid(tgt, names.subscription()).isEmpty()) {
            throw new EngineException(ExitCode.REPLICATION, "subscription " + names.subscription() + " is gone from " + target.display()
                    + " (the " + found.run() + "): pgrelocate abort, then replicate again");
        }
        if (src.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()", names.slot()) == 0) {
            throw new EngineException(ExitCode.REPLICATION, "replication slot " + names.slot() + " is gone from " + source.display()
                    + " (the " + found.run() + "): pgrelocate abort, then replicate again");
        }
        record = found;
        startSchema = found.sourceSchema();
        schemaFilter = found.schemaFilter();
        made = true;
        monitor = new CatchUpMonitor(src, tgt, names, options.maxLag(), clock);
        return found;
    }

    /** The record a {@code replicate} run left on the target, read on a session of its own. */
    public Optional<ReplicationRecord> recorded() {
        try (Db db = Db.connect(target)) {
            return ReplicationRecord.read(db, options.names());
        }
    }

    /** Whether this migration's slot, publication or subscription exist on either server. */
    public boolean leftovers() {
        LogicalNames names = options.names();
        try (Db s = Db.connect(source); Db t = Db.connect(target)) {
            return s.longValue("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()", names.slot()) > 0
                    || s.longValue("SELECT count(*) FROM pg_publication WHERE pubname = ?", names.publication()) > 0
                    || Subscription.oid(t, names.subscription()).isPresent();
        }
    }

    /** The run's record (null before {@link #setup} or {@link #attach}). */
    public ReplicationRecord record() {
        return record;
    }

    /** Deletes the run's record from the target (the switch, before the verification compares the databases). */
    public void forgetRecord() {
        ReplicationRecord.drop(tgt, options.names());
    }

    /** Writes the run's record back (a switch undone: the replication goes on). */
    public void rememberRecord() {
        if (record != null) {
            try (Db db = Db.connect(target)) {
                record.write(db);
            }
        }
    }

    /** Closes the sessions and leaves slot, publication, subscription and record streaming on the servers ({@code replicate}). */
    public void release() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: its hook tears down, as on any stop before the replication was set up
            }
        }
        if (src != null) {
            src.close();
        }
        if (tgt != null) {
            tgt.close();
        }
    }

    private ExportedSlot createSlot() {
        try (SlotWait wait = SlotWait.start(source, options.names().slot(), out)) {
            return ExportedSlot.create(source, options.names().slot());
        }
    }

    /** What the copy carried of this run's own onto the target: its publication, the consented REPLICA IDENTITY FULL. */
    private void ownOnTarget() {
        tgt.execute("DROP PUBLICATION IF EXISTS " + Db.quoteIdent(options.names().publication()));
        identities.resetOnTarget(tgt);
    }

    private ConnectionSpec publisher() {
        return options.publisher() == null ? source : options.publisher();
    }

    private void awaitInitialCopy() {
        long syncing;
        while ((syncing = Subscription.tablesSyncing(tgt, options.names().subscription())) > 0) {
            out.accept("logical: subscription copying, " + syncing + " tables to go");
            Pause.sleep(options.reportEvery());
        }
    }

    /** Lag, rates and drain estimate now; {@link #setup} first. */
    public CatchUpMonitor monitor() {
        if (monitor == null) {
            throw new IllegalStateException("setup has not run");
        }
        return monitor;
    }

    /**
     * Waits until the lag is at most maxLag, printing progress, refusing when the source's schema
     * changed. A server that restarts meanwhile (the slot and the subscription survive it) is
     * connected to again and the wait goes on; one that stays away ends it.
     */
    public LagSample catchUp(Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        for (int reconnects = 0; ; reconnects++) {
            try {
                return monitor().awaitReady(Duration.between(clock.instant(), deadline), options.reportEvery(), out, this::checkSchemaUnchanged);
            } catch (EngineException e) {
                if (!(e.getCause() instanceof DbException) || reconnects >= Reconnect.TIMES) {
                    throw e;
                }
                reconnect(e);
            }
        }
    }

    /** New sessions on both servers once they answer again (the replication survives a restart); else {@code lost}, rethrown. */
    private void reconnect(EngineException lost) {
        Reconnect.Sessions again = new Reconnect(source, target, options.names(), out).after(lost);
        src.close();
        tgt.close();
        src = again.source();
        tgt = again.target();
        monitor = new CatchUpMonitor(src, tgt, options.names(), options.maxLag(), clock);
    }

    /**
     * Opens this strategy's source session again: the fence ends every other client session of the
     * source, ours included (the replication walsender is no client session and stays).
     */
    public void reconnectSource() {
        if (src != null) {
            src.close();
        }
        src = Db.connect(source);
    }

    /**
     * Refuses (CHECK_FAILED) when the source's schema differs from the start, naming each changed object.
     * The catalogs' version is read before the fingerprint, so DDL committed between the two shows in the next version.
     */
    public void checkSchemaUnchanged() {
        ObjectFilter filter = schemaFilter == null ? options.filter() : schemaFilter;
        CatalogVersion now = CatalogVersion.read(src, filter);
        if (now.equals(verified)) {
            return;
        }
        List<String> changes = startSchema.changesTo(SchemaFingerprint.take(src, filter));
        if (changes.isEmpty()) {
            verified = now;
        } else {
            throw new EngineException(ExitCode.CHECK_FAILED, "the source's schema changed during the catch-up ("
                    + Lists.some(changes) + "); logical replication does not carry DDL, so the target is stale:"
                    + " roll back and migrate again, or apply the same DDL to the target first");
        }
    }

    /** With the source fenced: waits until the target has applied the source's final position. */
    public Drain.Result drain(Duration timeout) {
        return new Drain(src, options.names(), clock, out).run(timeout);
    }

    /** During the catch-up: every large object, so the window writes only those changed since. */
    public LargeObjectSync.Result copyLargeObjects() {
        try {
            return largeObjects.copyAll(src, tgt);
        } catch (DbException e) {
            // a server restarted since the setup: the replication survives it, this step starts again on new sessions
            reconnect(new EngineException(ExitCode.REPLICATION, "copying the large objects: lost a server: " + e.getMessage(), e));
            return largeObjects.copyAll(src, tgt);
        }
    }

    /** Sequences, large objects changed since {@link #copyLargeObjects}, unlogged tables, materialized views: after the drain. */
    public CarryOver.Result carryRest() {
        return new CarryOver(src, tgt, options.filter(), largeObjects, out, clock).run();
    }

    /**
     * Drops subscription, slot and publication (idempotent), setting back the REPLICA IDENTITY the
     * publication records first; the sessions stay for {@link #carryRest()}.
     */
    public Teardown.Result teardown() {
        return made ? teardown.run() : new Teardown.Result(List.of(), List.of());
    }

    /**
     * Tears down on SIGTERM too: a JVM shutdown hook that runs the same teardown by name (with
     * sessions of its own), until {@link #close()}. Call it before {@link #setup}.
     */
    public LogicalStrategy withShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::teardown, "pgrelocate-logical-teardown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return this;
    }

    /** Tears down and closes the sessions. */
    @Override
    public void close() {
        try {
            teardown();
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs the same teardown anyway
        } finally {
            if (src != null) {
                src.close();
            }
            if (tgt != null) {
                tgt.close();
            }
        }
    }
}
