package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.BulkCopier;
import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.preflight.Check;
import io.pgrelocate.engine.preflight.PreflightResult;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.VerifyMode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code logical} in the window: before it, while the applications still write, its own preflight
 * (refusals before anything changes), the slot, the bulk copy from the slot's snapshot and the
 * catch-up until the target is within {@code maxLag}; inside it only the drain to the fenced
 * source's final position and what replication does not carry. Subscription, publication and slot
 * are dropped on every exit path.
 */
public final class LogicalInWindow implements WindowCopy {
    private final LogicalStrategy logical;
    private final LogicalSettings settings;
    private final CopyOptions copy;
    private final List<TableInfo> tables;
    private final List<RoleInfo> roles;
    private final Consumer<String> out;
    private final Clock clock;
    private final ReverseStream reverse;
    private Duration setup = Duration.ZERO;
    /** {@code switch}: the replication is a {@code replicate} run's, kept running when the window is undone. */
    private boolean continuing;
    private Instant switchAt;

    public LogicalInWindow(ConnectionSpec source, ConnectionSpec target, LogicalSettings settings, CopyOptions copy, BulkCopier bulk,
                           List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        LogicalOptions options = LogicalOptions.defaults(settings.migration(), copy.filter()).withMaxLag(settings.maxLag())
                .withReplicaIdentityFull(settings.replicaIdentityFull())
                .withPublisherPassfile(System.getenv(LogicalOptions.PUBLISHER_PASSFILE_ENV));
        this.logical = new LogicalStrategy(source, target, options, copy, bulk, out, clock);
        this.reverse = new ReverseStream(source, target, settings.migration(), out);
        this.settings = settings;
        this.copy = copy;
        this.tables = List.copyOf(tables);
        this.roles = List.copyOf(roles);
        this.out = out;
        this.clock = clock;
    }

    @Override
    public String name() {
        return copy.strategy().label();
    }

    /** switch: the plan (and its dry run) names the replication it continues, and refuses (REPLICATION) when there is none. */
    @Override
    public String describe(int jobs) {
        if (!continuing) {
            return WindowCopy.super.describe(jobs);
        }
        LogicalNames names = LogicalNames.of(settings.migration());
        return "drain replication " + names.subscription() + " (the " + logical.recorded().map(ReplicationRecord::run).orElseThrow(() ->
                new EngineException(ExitCode.REPLICATION, "no replication " + names.subscription() + " recorded on the target: run pgrelocate "
                        + "replicate --migration " + names.migration() + " first")) + ")";
    }

    @Override
    public boolean needsWindow() {
        return true;
    }

    @Override
    public VerifyMode defaultVerify() {
        return VerifyMode.AT_SWITCH;
    }

    /** For {@code switch}: the window continues the replication a {@code replicate} run left; undone, it keeps it running. */
    public LogicalInWindow continuing(Instant at) {
        this.continuing = true;
        this.switchAt = at;
        return this;
    }

    /**
     * {@code migrate}: {@link #replicate} and the catch-up, then the same checks as {@code switch};
     * {@code switch}: finds the replication by name and refuses (REPLICATION) while the lag exceeds
     * {@code maxLag}, or (CHECK_FAILED) when the source's schema changed since {@code replicate}.
     */
    @Override
    public List<String> windowWork(Db source) {
        return InWindowWork.lines(source, copy.filter());
    }

    @Override
    public void beforeWindow() {
        if (!continuing) {
            Instant start = clock.instant();
            setUp();
            Interruption.checkpoint("the catch-up");
            logical.catchUp(settings.catchUpTimeout());
            setup = Duration.between(start, clock.instant());
            out.accept("logical: caught up in " + Durations.human(setup) + "; opening the window");
            return;
        }
        ReplicationRecord run = logical.attach();
        out.accept("switch: continuing the " + run.run());
        copyLargeObjects();
        if (switchAt != null) {
            new SwitchWait(switchAt, logical.monitor(), clock, out).run();
        }
        logical.checkSchemaUnchanged();
        LagSample lag = logical.monitor().sample();
        out.accept(lag.line());
        if (!lag.ready()) {
            throw new EngineException(ExitCode.REPLICATION, "switch refused: the target is " + lag.lagBytes() + " bytes behind, more than --max-lag "
                    + settings.maxLag() + " (pgrelocate status shows the lag; switch again once it is smaller, or raise --max-lag)");
        }
        setup = Duration.between(run.started(), clock.instant());
    }

    /**
     * {@code replicate}: preflight, slot, bulk copy, subscription, the record; then (unless
     * {@code detach}) the catch-up until within maxLag. Leaves the replication streaming on the servers;
     * a rerun finds it by name and only catches up. A failed setup tears down what it made; a failed
     * catch-up leaves the replication running (status shows why, abort drops it).
     */
    public CopyResult replicate(boolean detach) {
        Instant start = clock.instant();
        try {
            if (logical.recorded().isPresent()) {
                ReplicationRecord run = logical.attach();
                out.accept("replicate: " + LogicalNames.of(settings.migration()).subscription() + " is already streaming (the " + run.run()
                        + "); not copying again");
            } else if (logical.bulkCopyStopped()) {
                logical.resume(settings.catchUpTimeout());
            } else {
                setUp();
            }
            if (detach) {
                out.accept("replicate: detached with the subscription enabled; pgrelocate status shows the lag");
            } else {
                Interruption.checkpoint("the catch-up");
                logical.catchUp(settings.catchUpTimeout());
                out.accept("replicate: caught up; replication keeps running until pgrelocate switch or pgrelocate abort");
            }
            String run = logical.record().run();
            return new CopyResult(name(), copy.jobs(), List.of(new CopyResult.Phase("replicate", Duration.between(start, clock.instant()),
                    run + "; left streaming")), 0, List.of(), copy.filter().excludedExtensions().stream().sorted().toList());
        } finally {
            logical.release();
        }
    }

    /**
     * The run a {@code replicate} left streaming for this migration, if any; refuses (REPLICATION) when
     * its slot, publication or subscription exist without a record: a run stopped before its bulk copy
     * finished, whose exported snapshot died with it.
     */
    public Optional<String> earlierRun() {
        Optional<ReplicationRecord> run = logical.recorded();
        if (run.isEmpty() && logical.bulkCopyStopped()) {
            return Optional.of("bulk copy an earlier replicate left unfinished, to resume");
        }
        if (run.isEmpty() && logical.leftovers()) {
            LogicalNames names = LogicalNames.of(settings.migration());
            throw new EngineException(ExitCode.REPLICATION, "an earlier replicate of " + names.migration() + " stopped before its bulk copy "
                    + "finished (" + names.slot() + " exists, no record of the run or of its copy's progress on the target): the snapshot"
                    + " it copied from died with it, and which tables it completed is unknown; pgrelocate abort --migration " + names.migration()
                    + ", empty the target database, then replicate again");
        }
        return run.map(ReplicationRecord::run);
    }

    private void setUp() {
        PreflightResult pre = logical.preflight();
        pre.checks().forEach(c -> out.accept(c.progressLine()));
        if (!pre.passed()) {
            throw new EngineException(pre.exitCode(), pre.firstFailure().map(Check::message).orElse("logical preflight failed"));
        }
        logical.setup(tables, roles);
        // before the catch-up, so the lag their copy lets grow is caught up too
        copyLargeObjects();
    }

    /** Every large object before the window (a switch again after its replicate), so the window writes only those changed since. */
    private void copyLargeObjects() {
        LargeObjectSync.Result los = logical.copyLargeObjects();
        if (los.total() + los.removed() > 0) {
            out.accept("logical: " + los.total() + " large object(s) on the target before the window (" + los.written() + " written, "
                    + los.removed() + " removed); the window writes only those changed since");
        }
    }

    @Override
    public CopyResult inWindow(FencedSource fenced) {
        Instant start = clock.instant();
        logical.reconnectSource();
        logical.checkSchemaUnchanged();
        Duration schemaChecked = Duration.between(start, clock.instant());
        Drain.Result drained = logical.drain(settings.drainTimeout());
        // the record is pgrelocate's, not the database's: gone before the verification compares the two
        logical.forgetRecord();
        Interruption.checkpoint("the drain");
        CarryOver.Result carried = logical.carryRest();
        out.accept("logical: drained to " + drained.finalLsn() + " in " + Durations.human(drained.took()) + ", carried "
                + carried.sequences() + " sequence(s), " + carried.largeObjectsWritten() + " changed large object(s), "
                + carried.unloggedTables() + " unlogged table(s), " + carried.materializedViews() + " materialized view(s)");
        String before = continuing ? "continues the " + logical.record().run() : "while the applications ran";
        // the window's own steps one by one, so the report (and bench/switchover.sh) shows what fills it
        return new CopyResult(name(), copy.jobs(), List.of(new CopyResult.Phase("bulk copy and catch-up", setup, before),
                new CopyResult.Phase("schema check", schemaChecked, "in the window"),
                new CopyResult.Phase("drain", drained.took(), "in the window"),
                new CopyResult.Phase("carry-over", carried.took(), "in the window")), 0, List.of(), copy.filter().excludedExtensions().stream().sorted().toList());
    }

    @Override
    public void finish() {
        close();
    }

    /** The target's position at the switch, where the reverse stream starts; null until marked, or when it could not be. */
    private String switchPoint;

    /** Publication and slot on the target before it takes a write: without them a rollback would lose every write made there. */
    @Override
    public void atSwitchPoint() {
        try {
            switchPoint = reverse.mark(copy.filter(), settings.replicaIdentityFull());
        } catch (RuntimeException e) {
            out.accept("logical: WARNING: no reverse stream (" + e.getMessage() + "): a rollback would refuse to lose the target's writes");
        }
    }

    /** The forward stream is gone: the fenced source subscribes to the target from the switch point. */
    @Override
    public void afterSwitch() {
        if (switchPoint == null) {
            return;
        }
        try {
            reverse.subscribe();
            out.accept("logical: reverse stream " + reverse.names().subscription() + " applies the target's writes since its switch point "
                    + switchPoint + " on the fenced source, until rollback or finish");
        } catch (RuntimeException e) {
            out.accept("logical: WARNING: no reverse stream (" + e.getMessage() + "): a rollback would refuse to lose the target's writes");
        }
    }

    @Override
    public void abort() {
        if (continuing) {
            try {
                logical.rememberRecord();
                out.accept("switch: undone; replication " + LogicalNames.of(settings.migration()).subscription()
                        + " keeps streaming (pgrelocate status; pgrelocate switch again, or pgrelocate abort)");
            } catch (RuntimeException e) {
                out.accept("switch: could not write back the replication record: " + e.getMessage() + "; pgrelocate abort drops the replication");
            } finally {
                logical.release();
            }
            return;
        }
        try {
            close();
        } catch (RuntimeException e) {
            out.accept("logical: teardown after the failure: " + e.getMessage()
                    + " — pgrelocate rollback drops what is left by name");
        }
    }

    private void close() {
        Teardown.Result r = logical.teardown();
        if (!r.clean()) {
            out.accept("logical: teardown left problems: " + String.join("; ", r.problems()));
        }
        logical.close();
    }
}
