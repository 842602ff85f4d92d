package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.switchover.WindowReport;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The replica ledger as a person reads it: state, phases with their times, recorded against current replicas. */
final class LedgerText {
    /** A workload as it is now: desired and ready replicas. */
    record Now(int replicas, int ready) {
    }

    private LedgerText() {
    }

    static List<String> lines(Ledger ledger, String configMap, Function<WorkloadRef, Optional<Now>> now) {
        List<String> lines = new ArrayList<>();
        lines.add("migration " + ledger.migration() + ": " + ledger.state().label() + " (ledger ConfigMap " + configMap + ")");
        lines.add("phases:");
        ledger.phases().forEach((phase, at) -> lines.add(String.format("  %-14s %s", phase, at.truncatedTo(ChronoUnit.SECONDS))));
        if (ledger.validation() != null) {
            var v = ledger.validation();
            lines.add(String.format("  %-14s %s %s%s", "validation", v.passed() ? "passed" : "FAILED", v.at().truncatedTo(ChronoUnit.SECONDS),
                    v.summary() == null ? "" : ": " + v.summary()));
        }
        if (ledger.fence() != null) {
            lines.add("fence:    " + ledger.fence().summary() + "; pgrelocate rollback --source URI lifts it");
        }
        if (ledger.verifiedCopy() != null) {
            lines.add("verified copy: " + ledger.verifiedCopy().at().truncatedTo(ChronoUnit.SECONDS)
                    + ", applications back on the source; a cutover first checks that the source did not change since");
        }
        WindowReport.of(ledger.phases(), null).ifPresent(w -> {
            lines.add("downtime: " + w.writeLine());
            lines.add("          " + w.appLine());
        });
        lines.add(String.format("%-32s %8s %8s %6s  %s", "workloads:", "recorded", "current", "ready", "state"));
        for (Ledger.Entry e : ledger.workloads()) {
            Optional<Now> current = now.apply(e.ref());
            lines.add(String.format("  %-30s %8d %8s %6s  %s", e.ref(), e.replicas(),
                    current.map(n -> String.valueOf(n.replicas())).orElse("missing"),
                    current.map(n -> String.valueOf(n.ready())).orElse("-"), e.state()));
        }
        return lines;
    }
}
