package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.EngineException;
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
    private Duration setup = Duration.ZERO;

    public LogicalInWindow(ConnectionSpec source, ConnectionSpec target, LogicalSettings settings, CopyOptions copy, BulkCopier bulk,
                           List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        LogicalOptions options = LogicalOptions.defaults(settings.migration(), copy.filter()).withMaxLag(settings.maxLag())
                .withReplicaIdentityFull(settings.replicaIdentityFull());
        this.logical = new LogicalStrategy(source, target, options, copy, bulk, out, clock);
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

    @Override
    public boolean needsWindow() {
        return true;
    }

    @Override
    public VerifyMode defaultVerify() {
        return VerifyMode.AT_SWITCH;
    }

    @Override
    public List<String> windowWork(Db source) {
        return InWindowWork.lines(source, copy.filter());
    }

    @Override
    public void beforeWindow() {
        PreflightResult pre = logical.preflight();
        pre.checks().forEach(c -> out.accept(c.progressLine()));
        if (!pre.passed()) {
            throw new EngineException(pre.exitCode(), pre.firstFailure().map(Check::message).orElse("logical preflight failed"));
        }
        Instant start = clock.instant();
        logical.setup(tables, roles);
        // before the catch-up, so the lag their copy lets grow is caught up too
        LargeObjectSync.Result los = logical.copyLargeObjects();
        if (los.total() + los.removed() > 0) {
            out.accept("logical: " + los.total() + " large object(s) on the target before the window (" + los.written() + " written, "
                    + los.removed() + " removed); the window writes only those changed since");
        }
        Interruption.checkpoint("the catch-up");
        logical.catchUp(settings.catchUpTimeout());
        setup = Duration.between(start, clock.instant());
        out.accept("logical: caught up in " + Durations.human(setup) + "; opening the window");
    }

    @Override
    public CopyResult inWindow(FencedSource fenced) {
        Instant start = clock.instant();
        logical.reconnectSource();
        logical.checkSchemaUnchanged();
        Duration schemaChecked = Duration.between(start, clock.instant());
        Drain.Result drained = logical.drain(settings.drainTimeout());
        Interruption.checkpoint("the drain");
        CarryOver.Result carried = logical.carryRest();
        out.accept("logical: drained to " + drained.finalLsn() + " in " + Durations.human(drained.took()) + ", carried "
                + carried.sequences() + " sequence(s), " + carried.largeObjectsWritten() + " changed large object(s), "
                + carried.unloggedTables() + " unlogged table(s), " + carried.materializedViews() + " materialized view(s)");
        // the window's own steps one by one, so the report (and bench/switchover.sh) shows what fills it
        return new CopyResult(name(), copy.jobs(), List.of(new CopyResult.Phase("bulk copy and catch-up", setup, "while the applications ran"),
                new CopyResult.Phase("schema check", schemaChecked, "in the window"),
                new CopyResult.Phase("drain", drained.took(), "in the window"),
                new CopyResult.Phase("carry-over", carried.took(), "in the window")), 0, List.of(), copy.filter().excludedExtensions().stream().sorted().toList());
    }

    @Override
    public void finish() {
        close();
    }

    @Override
    public void abort() {
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
