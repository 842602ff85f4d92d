package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.Downtime;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Downtime in a Kubernetes namespace: freeze the workloads, copy, then thaw (and complete or roll back). */
public final class ClusterDowntime implements Downtime {
    private final AppFreezer freezer;
    private final List<WorkloadRef> workloads;
    private final Duration freezeTimeout;
    private final Duration thawTimeout;
    private final Clock clock;

    public ClusterDowntime(AppFreezer freezer, List<WorkloadRef> workloads, Duration freezeTimeout, Duration thawTimeout, Clock clock) {
        this.freezer = freezer;
        this.workloads = List.copyOf(workloads);
        this.freezeTimeout = freezeTimeout;
        this.thawTimeout = thawTimeout;
        this.clock = clock;
    }

    @Override
    public List<String> check() {
        return freezer.check(workloads);
    }

    @Override
    public void begin() {
        freezer.freeze(workloads, freezeTimeout);
    }

    @Override
    public void end(boolean succeeded) {
        if (freezer.store().read().isEmpty()) {
            return; // the ledger was never written, so nothing was scaled
        }
        if (succeeded) {
            freezer.thaw(thawTimeout, Ledger.State.THAWED);
            freezer.store().write(l -> l.moveTo(Ledger.State.COMPLETED, clock.instant()));
        } else {
            freezer.thaw(thawTimeout, Ledger.State.ROLLED_BACK);
        }
    }

    @Override
    public void reached(String phase) {
        freezer.store().write(l -> l.phase(phase, clock.instant()));
    }

    @Override
    public Object report() {
        try {
            return freezer.store().read().orElse(null);
        } catch (io.pgrelocate.engine.EngineException e) {
            return null; // the report still goes out; the error itself is reported elsewhere
        }
    }
}
