package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stops the applications that write to the source and brings them back, with the replica ledger as
 * the only memory: counts are written before the first scale-down, a recorded count is never
 * replaced by the zero a crashed run left behind, and every thaw restores exactly what was recorded.
 */
public final class AppFreezer {
    private final Workloads workloads;
    private final LedgerStore store;
    private final Consumer<String> out;
    private final Clock clock;

    public AppFreezer(KubernetesClient client, LedgerStore store, Consumer<String> out, Clock clock) {
        this.workloads = new Workloads(client, store.namespace());
        this.store = store;
        this.out = out;
        this.clock = clock;
    }

    public LedgerStore store() {
        return store;
    }

    /**
     * Everything that can be refused before a change: each workload exists, and the ledger (if any)
     * belongs to this migration and allows a new attempt. Returns what a freeze would do.
     */
    public List<String> check(List<WorkloadRef> refs) {
        Ledger ledger = store.read().orElse(null);
        if (ledger != null && (ledger.state() == Ledger.State.THAWED || ledger.state() == Ledger.State.CUT_OVER
                || ledger.state() == Ledger.State.COMPLETED)) {
            throw new EngineException(ExitCode.LEDGER, "migration '" + store.migration() + "' is already "
                    + ledger.state().label() + " (ledger " + store.namespace() + "/" + store.name()
                    + "); nothing was changed: a new migration needs a new name (PGRELOCATE_MIGRATION)");
        }
        List<String> plan = new ArrayList<>();
        for (WorkloadRef ref : refs) {
            int current = workloads.replicas(ref).orElseThrow(() -> new EngineException(ExitCode.BAD_SETTINGS,
                    ref + " not found in namespace " + store.namespace() + "; nothing was changed: check PGRELOCATE_WORKLOADS / --workload"));
            int recorded = recordedOr(ledger, ref, current);
            plan.add(ref + ": record " + recorded + " replica(s), scale " + current + " → 0"
                    + (recorded != current ? " (kept the count recorded by an earlier run)" : ""));
        }
        return plan;
    }

    /** Records the replicas, scales every workload to 0, and waits until their pods are gone. */
    public Ledger freeze(List<WorkloadRef> refs, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        Ledger ledger = store.write(l -> {
            Ledger base = l.state() == Ledger.State.ROLLED_BACK ? l.forgetWorkloads() : l;
            for (WorkloadRef ref : refs) {
                base = base.record(ref, workloads.replicas(ref).orElseThrow(() -> new EngineException(ExitCode.BAD_SETTINGS,
                        ref + " not found in namespace " + store.namespace())));
            }
            return base.moveTo(Ledger.State.FROZEN, clock.instant());
        });
        out.accept("freeze: replicas recorded in ConfigMap " + store.namespace() + "/" + store.name());
        stop(ledger, timeout, deadline, "the copy did not start");
        ledger = store.write(l -> stateOfAll(l, "frozen").phase("pods-gone", clock.instant()));
        out.accept("freeze: all pods gone; the applications are stopped");
        return ledger;
    }

    /**
     * Before a rollback after a cutover: stops every workload of the ledger, whose recorded replicas stay as they are, so
     * that pods on the target and pods back on the source never write at the same time.
     */
    public void stopRecorded(Duration timeout) {
        Ledger ledger = requireLedger();
        stop(ledger, timeout, clock.instant().plus(timeout), "nothing was rolled back");
        store.write(l -> l.phase("stopped-for-rollback", clock.instant()));
        out.accept("rollback: all pods gone; the applications are stopped before their settings go back to the source");
    }

    private void stop(Ledger ledger, Duration timeout, Instant deadline, String consequence) {
        for (Ledger.Entry e : ledger.workloads()) {
            int current = workloads.replicas(e.ref()).orElse(0);
            if (current > 0) {
                workloads.scale(e.ref(), 0);
            }
            out.accept("freeze: " + e.ref() + " " + current + " → 0" + (e.replicas() == 0 ? " (recorded at 0, stays at 0)" : ""));
        }
        for (Ledger.Entry e : ledger.workloads()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (!workloads.awaitNoPods(e.ref(), left)) {
                throw new EngineException(ExitCode.FAILED, e.ref() + " still has " + workloads.pods(e.ref()).size()
                        + " pod(s) after " + timeout.toSeconds() + "s (PGRELOCATE_FREEZE_TIMEOUT); " + consequence);
            }
        }
    }

    /** What a thaw would do, for dry runs. */
    public List<String> thawPlan() {
        Ledger ledger = requireLedger();
        return ledger.workloads().stream().map(e -> e.ref() + ": scale " + workloads.replicas(e.ref()).map(String::valueOf)
                .orElse("(missing)") + " → " + e.replicas()).toList();
    }

    /**
     * Scales every recorded workload back to its recorded replicas and waits until they are ready;
     * then moves the ledger to {@code endState}. Tries every workload even when one fails.
     */
    public Ledger thaw(Duration timeout, Ledger.State endState) {
        Ledger ledger = requireLedger();
        Instant deadline = clock.instant().plus(timeout);
        store.write(l -> l.phase("thaw-started", clock.instant()));
        List<String> failures = new ArrayList<>();
        for (Ledger.Entry e : ledger.workloads()) {
            try {
                if (workloads.replicas(e.ref()).isEmpty()) {
                    failures.add(e.ref() + " no longer exists");
                    continue;
                }
                workloads.scale(e.ref(), e.replicas());
                out.accept("thaw: " + e.ref() + " → " + e.replicas());
            } catch (EngineException ex) {
                failures.add(ex.getMessage());
            }
        }
        for (Ledger.Entry e : ledger.workloads()) {
            if (workloads.replicas(e.ref()).isPresent()
                    && !workloads.awaitReady(e.ref(), e.replicas(), Duration.between(clock.instant(), deadline))) {
                failures.add(e.ref() + " has " + workloads.progress(e.ref(), e.replicas())
                        + " after " + timeout.toSeconds() + "s (PGRELOCATE_THAW_TIMEOUT)");
            }
        }
        if (!failures.isEmpty()) {
            store.write(l -> l.phase("thaw-failed", clock.instant()));
            throw new EngineException(ExitCode.APPS_NOT_RESTORED, "applications not back at their recorded replicas: "
                    + String.join("; ", failures) + "; the ledger " + store.namespace() + "/" + store.name()
                    + " still holds the counts: run pgrelocate rollback");
        }
        out.accept("thaw: every application is back at its recorded replicas and ready");
        return store.write(l -> stateOfAll(l, "running").moveTo(endState, clock.instant()));
    }

    private Ledger requireLedger() {
        return store.read().orElseThrow(() -> new EngineException(ExitCode.LEDGER, "no ledger " + store.namespace() + "/"
                + store.name() + ": migration '" + store.migration() + "' never froze anything, so there is nothing to restore"));
    }

    private static int recordedOr(Ledger ledger, WorkloadRef ref, int current) {
        if (ledger == null || ledger.state() == Ledger.State.ROLLED_BACK) {
            return current;
        }
        return ledger.entry(ref).map(Ledger.Entry::replicas).orElse(current);
    }

    private static Ledger stateOfAll(Ledger l, String state) {
        Ledger result = l;
        for (Ledger.Entry e : l.workloads()) {
            result = result.workloadState(e.ref(), state);
        }
        return result;
    }
}
