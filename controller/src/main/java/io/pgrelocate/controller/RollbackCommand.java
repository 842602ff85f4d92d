package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LeftoverSlot;
import io.pgrelocate.engine.copy.logical.LeftoverRuns;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
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
                "Puts back every application setting a cutover rewrote (exactly as it was, from the Secret "
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
                "Locally: pgrelocate rollback --source URI [--target URI], with none of -n, --context, --kubeconfig, "
                        + "lifts the fence a local migrate --switchover raised, also after it was killed.",
                "",
                "A logical migration's leftovers are dropped BEFORE the fence is lifted: its subscription on --target (disable, "
                        + "detach from the slot, drop), then its replication slot and publication on --source, found by the name "
                        + "each object records (and by --migration), so nothing streams from the source into the target again.",
                "",
                "Example: pgrelocate rollback -n shop --migration shop-to-cnpg --source postgresql://postgres@acid-main:5432/app", ""})
class RollbackCommand extends RestoreCommand {
    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    /** With --source and no Kubernetes flag (--migration, -n, --context, --kubeconfig): local mode, the fence is all there is to undo. */
    @Override
    public Integer call() {
        if (!source.given() || kube.namespace != null || kube.context != null || kube.kubeconfig != null) {
            return super.call();
        }
        out().println("rollback: local mode (no --migration, -n, --context or --kubeconfig): only the source's fence is undone; "
                + "for a migration on Kubernetes add -n NAMESPACE");
        try (Db db = source.connect()) {
            String known = migration.name != null ? migration.name : LogicalSettings.DEFAULTS.migration();
            if (dryRun) {
                leftovers(db).plan(known).forEach(line -> out().println("dry run: " + line));
                out().println("dry run: " + Fence.read(db).map(r -> "would lift the fence: " + r.summary()).orElse("the source is not fenced"));
            } else {
                dropReplication(db, known);
                if (new Fence(printer(), Clock.systemUTC()).lift(db).isEmpty()) {
                    out().println("rollback: " + db.spec().display() + " is not fenced");
                }
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
            freezer.store().read().map(Ledger::cutover).orElse(List.of()).stream().filter(r -> r.key() != null)
                    .forEach(r -> out().println("dry run: would restore " + r));
            if (source.given()) {
                try (Db db = source.connect()) {
                    leftovers(db).plan(freezer.store().migration()).forEach(line -> out().println("dry run: " + line));
                }
            }
            if (fenced) {
                out().println("dry run: would lift the fence: " + ledger.fence().summary());
            }
            return;
        }
        cutover.revert(timeout(settings));
        if (source.given()) {
            try (Db db = source.connect()) {
                dropReplication(db, freezer.store().migration());
            }
        }
        if (fenced) {
            try (Db db = source.connect()) {
                new Fence(printer(), Clock.systemUTC()).lift(db);
            }
            freezer.store().write(l -> l.fence(null));
        }
    }

    private LeftoverRuns leftovers(Db db) {
        return new LeftoverRuns(db.spec(), target.specOrNull(), printer());
    }

    /**
     * A logical migration killed midway leaves its subscription on the target (it streams the source
     * into the target as soon as a fence is lifted) and its slot on the source (it keeps WAL until the
     * disk fills): drop them before the fence is lifted, and name any other pgrelocate slot left behind.
     */
    private void dropReplication(Db db, String migration) {
        List<String> problems = leftovers(db).dropAll(migration);
        if (!problems.isEmpty()) {
            throw new EngineException(ExitCode.REPLICATION, "could not drop what a logical run left (" + String.join("; ", problems)
                    + "); the fence stays, so nothing streams from the source into the target: run rollback again once both servers answer");
        }
        LeftoverSlot.on(db).forEach(slot -> out().println("rollback: note: another pgrelocate slot on the source: " + slot.line()));
    }

    @Override
    Ledger.State endState() {
        return Ledger.State.ROLLED_BACK;
    }
}
