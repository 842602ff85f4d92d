package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.copy.logical.LeftoverSlot;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.switchover.Fence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.List;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Gives up a migration: the applications come back on the source database.",
                "",
                "After a cutover it first stops the applications (scale to 0, pods gone; the recorded replicas kept), so "
                        + "that no pod writes on the target while another writes on the source; "
                        + "then puts back every application setting a cutover rewrote (exactly as it was, from the Secret "
                        + "pgrelocate-cutover-<migration>), then scales every workload in the ledger to its recorded "
                        + "replicas and waits until they are ready; the "
                        + "source stays the database. Works from any machine, after a crashed or killed Job too: the "
                        + "counts live in the cluster. The migration is marked rolled back; a later freeze starts a "
                        + "fresh attempt.",
                "",
                "When the ledger records a fence on the source (the migration Job fenced it in the switchover window and "
                        + "was killed, or cut over), rollback needs --source to lift it before the applications come back: "
                        + "CONNECT is granted back exactly as it was, default_transaction_read_only reset, from the record "
                        + "the fence keeps in the source database's comment.",
                "",
                "Locally: pgrelocate rollback --source URI, with none of --migration, -n, --context, --kubeconfig, only "
                        + "lifts the fence a local migrate --switchover raised, also after it was killed.",
                "",
                "Example: pgrelocate rollback -n shop --migration shop-to-cnpg --source postgresql://postgres@acid-main:5432/app", ""})
class RollbackCommand extends RestoreCommand {
    @Mixin
    SourceOption source;

    /** With --source and no Kubernetes flag (--migration, -n, --context, --kubeconfig): local mode, the fence is all there is to undo. */
    @Override
    public Integer call() {
        if (!source.given() || migration.name != null || kube.namespace != null || kube.context != null || kube.kubeconfig != null) {
            return super.call();
        }
        out().println("rollback: local mode (no --migration, -n, --context or --kubeconfig): only the source's fence is undone; "
                + "for a migration on Kubernetes add -n NAMESPACE");
        try (Db db = source.connect()) {
            if (dryRun) {
                out().println("dry run: " + Fence.read(db).map(r -> "would lift the fence: " + r.summary()).orElse("the source is not fenced"));
            } else {
                if (new Fence(printer(), Clock.systemUTC()).lift(db).isEmpty()) {
                    out().println("rollback: " + db.spec().display() + " is not fenced");
                }
                dropReplication(db, LogicalSettings.DEFAULTS.migration());
            }
            out().flush();
            return 0;
        } catch (EngineException e) {
            err().println("error: " + e.getMessage());
            err().flush();
            return e.exitCode().code();
        }
    }

    @Override
    void beforeRestore(AppFreezer freezer, ClusterSettings settings) {
        Ledger ledger = freezer.store().read().orElse(null);
        boolean fenced = ledger != null && ledger.fence() != null;
        if (fenced && !source.given()) {
            throw new SettingsException("the source is fenced (" + ledger.fence().summary() + "): pass --source URI so that rollback "
                    + "lifts the fence before the applications come back to it; nothing was changed");
        }
        Cutover cutover = new Cutover(cluster.client(), freezer.store(), printer(), Clock.systemUTC());
        if (dryRun) {
            if (ledger != null && !ledger.cutover().isEmpty()) {
                out().println("dry run: would stop " + ledger.workloads().stream().map(e -> e.ref().toString()).toList()
                        + " first (scale to 0, wait until their pods are gone)");
            }
            freezer.store().read().map(Ledger::cutover).orElse(List.of()).stream().filter(r -> r.key() != null)
                    .forEach(r -> out().println("dry run: would restore " + r));
            if (fenced) {
                out().println("dry run: would lift the fence: " + ledger.fence().summary());
            }
            return;
        }
        if (ledger != null && !ledger.cutover().isEmpty()) {
            // the applications run on the target: stopped first, so that none writes there while others write on the source
            freezer.stopRecorded(timeout(settings));
        }
        cutover.revert(timeout(settings));
        if (fenced) {
            try (Db db = source.connect()) {
                new Fence(printer(), Clock.systemUTC()).lift(db);
            }
            freezer.store().write(l -> l.fence(null));
        }
        if (source.given()) {
            try (Db db = source.connect()) {
                dropReplication(db, freezer.store().migration());
            }
        }
    }

    /**
     * A logical migration killed midway leaves its slot on the source, which keeps WAL until the disk
     * fills: drop this migration's slot and publication, and name any other pgrelocate slot left behind.
     */
    private void dropReplication(Db db, String migration) {
        new Teardown(db.spec(), null, LogicalNames.of(migration), printer()).run();
        LeftoverSlot.on(db).forEach(slot -> out().println("rollback: note: another pgrelocate slot on the source: " + slot.line()));
    }

    @Override
    Ledger.State endState() {
        return Ledger.State.ROLLED_BACK;
    }
}
