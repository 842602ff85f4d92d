package io.pgrelocate.engine.kube;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.switchover.FenceRecord;
import io.pgrelocate.engine.switchover.SourceMarker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a migration did to the applications, kept in the cluster so that any machine can undo it:
 * per workload the replicas it had before the freeze, the time of each phase, and the state; the
 * fence on the source while one stands, and the verified-copy marker of a run that went back onto the source.
 * Immutable; every change returns a new ledger.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ledger(String migration, String namespace, State state, List<Entry> workloads,
                     Map<String, Instant> phases, Validation validation, List<SettingRef> cutover,
                     FenceRecord fence, SourceMarker verifiedCopy) implements ApplicationsReport {

    @Override
    public String summaryLine() {
        StringBuilder sb = new StringBuilder("ledger ").append(namespace).append('/').append(LedgerStore.PREFIX).append(migration)
                .append(": ").append(state.label());
        workloads.forEach(e -> sb.append(", ").append(e.ref()).append(" ").append(e.replicas()).append(" replica(s)"));
        return sb.toString();
    }

    public enum State {
        /** Replicas recorded; nothing scaled yet. */
        RECORDED,
        /** Scale-down started: the applications may be stopped. */
        FROZEN,
        /** Copy verified, applications back at their recorded replicas. */
        THAWED,
        /** Applications point at the target (set by cutover). */
        CUT_OVER,
        /** The migration finished: copy verified and applications running. */
        COMPLETED,
        /** A failure or a rollback put the applications back; the source is still the database. */
        ROLLED_BACK;

        /** How users see the state, and the name of its phase: {@code rolled-back}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One workload: its replicas before the freeze (the count every thaw restores). */
    public record Entry(String kind, String name, int replicas, String state) {
        public WorkloadRef ref() {
            return WorkloadRef.parse(kind + "/" + name);
        }

        Entry withState(String newState) {
            return new Entry(kind, name, replicas, newState);
        }
    }

    /** The last validation of the migrated database. */
    public record Validation(boolean passed, Instant at, String summary) {
    }

    /**
     * One application setting a cutover rewrote: {@code env} of a workload's container, or a key of a
     * ConfigMap or Secret. Only the reference lives here; the previous value is kept in the Secret
     * {@code pgrelocate-cutover-<migration>} under {@code id}, because it may hold a password.
     */
    public record SettingRef(String id, String kind, String object, String container, String key) {
        @Override
        public String toString() {
            return object + (container == null ? "" : " container " + container) + " " + kind + " " + key;
        }
    }

    public Ledger {
        workloads = List.copyOf(workloads);
        cutover = cutover == null ? List.of() : List.copyOf(cutover);
        phases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    public static Ledger start(String migration, String namespace) {
        return new Ledger(migration, namespace, State.RECORDED, List.of(), Map.of(), null, List.of(), null, null);
    }

    public Optional<Entry> entry(WorkloadRef ref) {
        return workloads.stream().filter(e -> e.ref().equals(ref)).findFirst();
    }

    /** Adds a workload with its current replicas; one already recorded keeps its recorded count. */
    public Ledger record(WorkloadRef ref, int replicas) {
        if (entry(ref).isPresent()) {
            return this;
        }
        List<Entry> all = new ArrayList<>(workloads);
        all.add(new Entry(ref.kind().apiKind(), ref.name(), replicas, "running"));
        return new Ledger(migration, namespace, state, all, phases, validation, cutover, fence, verifiedCopy);
    }

    /** Forgets the recorded counts, for a fresh attempt after the applications were put back. */
    public Ledger forgetWorkloads() {
        return new Ledger(migration, namespace, state, List.of(), phases, validation, cutover, fence, verifiedCopy);
    }

    public Ledger workloadState(WorkloadRef ref, String newState) {
        List<Entry> all = workloads.stream().map(e -> e.ref().equals(ref) ? e.withState(newState) : e).toList();
        return new Ledger(migration, namespace, state, all, phases, validation, cutover, fence, verifiedCopy);
    }

    /** Moves to a state and stamps the phase of the same name. */
    public Ledger moveTo(State newState, Instant at) {
        return new Ledger(migration, namespace, newState, workloads, withPhase(newState.label(), at), validation, cutover, fence, verifiedCopy);
    }

    public Ledger phase(String name, Instant at) {
        return new Ledger(migration, namespace, state, workloads, withPhase(name, at), validation, cutover, fence, verifiedCopy);
    }

    public Ledger validated(boolean passed, Instant at, String summary) {
        return new Ledger(migration, namespace, state, workloads, phases, new Validation(passed, at, summary), cutover, fence, verifiedCopy);
    }

    /** Records the settings a cutover is about to rewrite (empty once they are restored). */
    public Ledger cutover(List<SettingRef> refs) {
        return new Ledger(migration, namespace, state, workloads, phases, validation, refs, fence, verifiedCopy);
    }

    /** Records the fence raised on the source ({@code null}: lifted); the source itself holds what undoing it needs. */
    public Ledger fence(FenceRecord record) {
        return new Ledger(migration, namespace, state, workloads, phases, validation, cutover, record, verifiedCopy);
    }

    /** Records how the source looked when its copy was verified and the applications went back onto it. */
    public Ledger verifiedCopy(SourceMarker marker) {
        return new Ledger(migration, namespace, state, workloads, phases, validation, cutover, fence, marker);
    }

    public Optional<Instant> phaseTime(State s) {
        return Optional.ofNullable(phases.get(s.label()));
    }


    private Map<String, Instant> withPhase(String name, Instant at) {
        Map<String, Instant> p = new LinkedHashMap<>(phases);
        p.put(name, at);
        return p;
    }
}
