package io.pgrelocate.controller;

import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.runbook.Rollback;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;

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
                "Locally: pgrelocate rollback --source URI [--target URI], with none of -n, --context, --kubeconfig, "
                        + "lifts the fence a local migrate --switchover raised, also after it was killed.",
                "A mysql:// or mariadb:// --source: read_only (and super_read_only) go back to what the fence recorded in "
                        + "the server's pgrelocate.fence table, which is then dropped.",
                "",
                "A logical migration's leftovers are dropped BEFORE the fence is lifted: its subscription on --target (disable, "
                        + "detach from the slot, drop), then its replication slot and publication on --source, found by the name "
                        + "each object records (and by --migration), so nothing streams from the source into the target again; "
                        + "exit 22 with the fence kept when they cannot be dropped.",
                "",
                "After the switch of a logical migration the source holds a reverse stream (subscription pgrelocate__<migration>, "
                        + "slot and publication of that name on the target) that applied every write the applications made on the "
                        + "target. With --target, rollback is then a window of its own: stop the applications, fence the target, "
                        + "drain the reverse stream to the target's final position, carry sequences and large objects back, lift the "
                        + "source's fence, put the applications' settings back, thaw, drop the reverse stream; the target stays fenced. "
                        + "A failure before the source's fence is lifted leaves the applications on the target, writable. Without a "
                        + "reverse stream (dump, stream, or it stopped: DDL on the target) rollback with --target counts what the target "
                        + "took since the switch and refuses (exit 24) unless --discard-target-writes.",
                "",
                "Example: pgrelocate rollback -n shop --migration shop-to-cnpg --source postgresql://postgres@acid-main:5432/app", ""})
class RollbackCommand extends RestoreCommand {
    @Option(names = "--discard-target-writes", description = "After the switch, without a reverse stream (dump, stream, or it stopped): "
            + "roll back although the target took writes since the switch, and lose them. Without it rollback refuses (exit 24), naming "
            + "the tables and sequences the target changed.")
    boolean discardTargetWrites;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    /** With --source and no Kubernetes flag (-n, --context, --kubeconfig): local mode, the replication and the fence are all there is to undo. */
    @Override
    public Integer call() {
        if (!source.given() || kube.namespace != null || kube.context != null || kube.kubeconfig != null) {
            return super.call();
        }
        out().println("rollback: local mode (no --migration, -n, --context or --kubeconfig): only the source's fence is undone; "
                + "for a migration on Kubernetes add -n NAMESPACE");
        try {
            Rollback rollback = new Rollback(printer(), Clock.systemUTC(), target.specOrNull()).discardingTargetWrites(discardTargetWrites);
            if (source.mysql()) {
                rollback.sourceOnly(source.mysqlSource(), dryRun);
            } else {
                try (Db db = source.connect()) {
                    rollback.sourceOnly(db, migration.name != null ? migration.name : LogicalSettings.DEFAULTS.migration(), dryRun);
                }
            }
            out().flush();
            return 0;
        } catch (SettingsException e) {
            err().println("error: " + e.getMessage());
            err().flush();
            return ExitCode.BAD_SETTINGS.code();
        } catch (EngineException e) {
            err().println("error: " + e.getMessage());
            err().flush();
            return e.exitCode().code();
        }
    }

    @Override
    void beforeRestore(AppFreezer freezer, ClusterSettings settings) {
        Rollback rollback = new Rollback(printer(), Clock.systemUTC(), target.specOrNull()).discardingTargetWrites(discardTargetWrites);
        Cutover cutover = new Cutover(cluster.client(), freezer.store(), printer(), Clock.systemUTC());
        if (source.given() && source.mysql()) {
            rollback.beforeThaw(freezer, cutover, source.mysqlSource(), timeout(settings), dryRun);
        } else {
            rollback.beforeThaw(freezer, cutover, source.given() ? source::connect : null, timeout(settings), dryRun);
        }
    }

    @Override
    Ledger.State endState() {
        return Ledger.State.ROLLED_BACK;
    }
}
