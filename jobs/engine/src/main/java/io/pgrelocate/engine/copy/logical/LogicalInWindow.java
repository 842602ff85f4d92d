package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.copy.FencedSource;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.CopyResult;
import io.pgrelocate.engine.copy.BulkCopier;
import io.pgrelocate.engine.common.Durations;
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
    private final ReverseStream reverse;
    private Duration setup = Duration.ZERO;

    public LogicalInWindow(ConnectionSpec source, ConnectionSpec target, LogicalSettings settings, CopyOptions copy, BulkCopier bulk,
                           List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        LogicalOptions options = LogicalOptions.defaults(settings.migration(), copy.filter()).withMaxLag(settings.maxLag())
                .withReplicaIdentityFull(settings.replicaIdentityFull());
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

    @Override
    public boolean needsWindow() {
        return true;
    }

    @Override
    public VerifyMode defaultVerify() {
        return VerifyMode.AT_SWITCH;
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
        Drain.Result drained = logical.drain(settings.drainTimeout());
        Interruption.checkpoint("the drain");
        CarryOver.Result carried = logical.carryRest();
        out.accept("logical: drained to " + drained.finalLsn() + " in " + Durations.human(drained.took()) + ", carried "
                + carried.sequences() + " sequence(s), " + carried.largeObjectsWritten() + " large object(s), "
                + carried.unloggedTables() + " unlogged table(s), " + carried.materializedViews() + " materialized view(s)");
        return new CopyResult(name(), copy.jobs(), List.of(new CopyResult.Phase("bulk copy and catch-up", setup, "while the applications ran"),
                new CopyResult.Phase("drain and carry-over", Duration.between(start, clock.instant()), "in the window")), 0, List.of(), copy.filter().excludedExtensions().stream().sorted().toList());
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
