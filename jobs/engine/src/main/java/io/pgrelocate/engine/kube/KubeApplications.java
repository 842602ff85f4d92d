package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.switchover.ApplicationsReport;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.switchover.FenceRecord;
import io.pgrelocate.engine.switchover.SourceMarker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The window's applications in a Kubernetes namespace, with the replica ledger as memory: freeze the
 * workloads, point them at the target ({@link Cutover}, when host mappings are given), thaw; undo
 * reverts a cutover and thaws them on the source.
 */
public final class KubeApplications implements Applications {
    private final AppFreezer freezer;
    private final List<WorkloadRef> workloads;
    private final Duration freezeTimeout;
    private final Duration thawTimeout;
    private final Clock clock;
    private final Cutover cutover;
    private final HostRewrite rewrite;
    private final GitOpsPolicy gitOps;

    /** Where the GitOps marks are read, and whether the user paused reconciliation for the window ({@code PGRELOCATE_GITOPS=paused}). */
    public record GitOpsPolicy(io.fabric8.kubernetes.client.KubernetesClient client, String namespace, boolean paused) {
    }

    public KubeApplications(AppFreezer freezer, List<WorkloadRef> workloads, Duration freezeTimeout, Duration thawTimeout, Clock clock) {
        this(freezer, workloads, freezeTimeout, thawTimeout, clock, null, null, null);
    }

    private KubeApplications(AppFreezer freezer, List<WorkloadRef> workloads, Duration freezeTimeout, Duration thawTimeout, Clock clock,
                            Cutover cutover, HostRewrite rewrite, GitOpsPolicy gitOps) {
        this.freezer = freezer;
        this.workloads = List.copyOf(workloads);
        this.freezeTimeout = freezeTimeout;
        this.thawTimeout = thawTimeout;
        this.clock = clock;
        this.cutover = cutover;
        this.rewrite = rewrite;
        this.gitOps = gitOps;
    }

    /** The same applications, cut over to the target in the window by {@code rewrite}. */
    public KubeApplications cuttingOver(Cutover with, HostRewrite rewrite) {
        return new KubeApplications(freezer, workloads, freezeTimeout, thawTimeout, clock, with, rewrite, gitOps);
    }

    /** The same, refusing before anything changed when Argo CD or Flux would revert the window's changes (unless paused). */
    public KubeApplications watchingGitOps(GitOpsPolicy policy) {
        return new KubeApplications(freezer, workloads, freezeTimeout, thawTimeout, clock, cutover, rewrite, policy);
    }

    @Override
    public List<String> check() {
        List<String> plan = new ArrayList<>(freezer.check(workloads).stream().map(l -> "freeze " + l).toList());
        if (cutover != null) {
            List<Cutover.Change> changes = cutover.plan(workloads, rewrite);
            if (changes.isEmpty()) {
                throw new EngineException(ExitCode.BAD_SETTINGS, "no setting of " + workloads + " names a source host of "
                        + "PGRELOCATE_CUTOVER_HOSTS; nothing was changed: check the host names (kubectl get deploy -o yaml)");
            }
            changes.forEach(c -> plan.add("cut over: rewrite " + c.ref())); // names only: a value may hold a password
            if (gitOps != null) {
                List<String> objects = changes.stream().map(c -> c.ref().kind().equals("adopt") ? c.ref().key()
                        : c.ref().kind().equals("secret") || c.ref().kind().equals("configmap") ? c.ref().object() : null)
                        .filter(java.util.Objects::nonNull).toList();
                plan.addAll(GitOpsMarks.check(gitOps.client(), gitOps.namespace(), workloads, objects, gitOps.paused()));
            }
        }
        return plan;
    }

    @Override
    public boolean switchesToTarget() {
        return cutover != null;
    }

    @Override
    public void freeze() {
        freezer.freeze(workloads, freezeTimeout);
    }

    @Override
    public void cutOver() {
        if (cutover != null) {
            cutover.apply(workloads, rewrite, thawTimeout);
        }
    }

    @Override
    public void thaw() {
        freezer.thaw(thawTimeout, Ledger.State.THAWED);
        freezer.store().write(l -> l.moveTo(Ledger.State.COMPLETED, clock.instant()));
    }

    @Override
    public void undo() {
        if (freezer.store().read().isEmpty()) {
            return; // the ledger was never written, so nothing was scaled
        }
        if (cutover != null) {
            cutover.revert(thawTimeout);
        }
        freezer.thaw(thawTimeout, Ledger.State.ROLLED_BACK);
    }

    @Override
    public void reached(String phase) {
        if (freezer.store().read().isPresent()) {
            freezer.store().write(l -> l.phase(phase, clock.instant()));
        }
    }

    @Override
    public void fence(FenceRecord record) {
        freezer.store().write(l -> l.fence(record));
    }

    @Override
    public void verifiedCopy(SourceMarker marker) {
        freezer.store().write(l -> l.verifiedCopy(marker));
    }

    /** A Warning Event on the ledger (on the Job's pod alone while there is no ledger yet, as during the catch-up). */
    @Override
    public void warning(String reason, String message) {
        freezer.store().recordWarning(reason, message, clock.instant());
    }

    /** A Warning Event on the ledger, so kubectl describe shows why the migration stopped. */
    @Override
    public void failed(String reason) {
        if (freezer.store().read().isPresent()) {
            freezer.store().recordFailure(reason, clock.instant());
        }
    }

    @Override
    public ApplicationsReport report() {
        try {
            return freezer.store().read().orElse(null);
        } catch (EngineException e) {
            return null; // the report still goes out; the error itself is reported elsewhere
        }
    }
}
