package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.copy.logical.LeftoverSlot;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.switchover.Fence;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The rollback runbook, shared by the CLI and the Jobs: the applications come back on the source.
 * Before they are scaled back ({@link #beforeThaw}): after a cutover the applications are stopped first, every setting a cutover rewrote is put back, the
 * fence the ledger records is lifted, this migration's replication (slot, publication) dropped. Without
 * Kubernetes ({@link #sourceOnly}) the fence and the replication are all there is to undo.
 */
public final class Rollback {
    private final Consumer<String> out;
    private final Clock clock;

    public Rollback(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Local mode: lifts the fence a local {@code migrate --switchover} raised (also after it was killed) and drops {@code migration}'s replication. */
    public void sourceOnly(Db db, String migration, boolean dryRun) {
        if (dryRun) {
            out.accept("dry run: " + Fence.read(db).map(r -> "would lift the fence: " + r.summary()).orElse("the source is not fenced"));
            return;
        }
        if (new Fence(out, clock).lift(db).isEmpty()) {
            out.accept("rollback: " + db.spec().display() + " is not fenced");
        }
        dropReplication(db, migration);
    }

    /**
     * Before the applications are scaled back to their recorded replicas: refuses (nothing changed) when
     * the ledger records a fence and {@code source} is null; reverts the cutover, lifts the fence, drops
     * the migration's replication. {@code source} opens a session on the source, or is null when not given.
     */
    public void beforeThaw(AppFreezer freezer, Cutover cutover, Supplier<Db> source, Duration timeout, boolean dryRun) {
        Ledger ledger = freezer.store().read().orElse(null);
        boolean fenced = ledger != null && ledger.fence() != null;
        if (fenced && source == null) {
            throw new SettingsException("the source is fenced (" + ledger.fence().summary() + "): pass --source URI so that rollback "
                    + "lifts the fence before the applications come back to it; nothing was changed");
        }
        boolean cutOver = ledger != null && !ledger.cutover().isEmpty();
        if (dryRun) {
            if (cutOver) {
                out.accept("dry run: would stop " + ledger.workloads().stream().map(e -> e.ref().toString()).toList()
                        + " first (scale to 0, wait until their pods are gone)");
            }
            freezer.store().read().map(Ledger::cutover).orElse(List.of()).stream().filter(r -> r.key() != null)
                    .forEach(r -> out.accept("dry run: would restore " + r));
            if (fenced) {
                out.accept("dry run: would lift the fence: " + ledger.fence().summary());
            }
            return;
        }
        if (cutOver) {
            // the applications run on the target: stopped first, so that none writes there while others write on the source
            freezer.stopRecorded(timeout);
        }
        cutover.revert(timeout);
        if (fenced) {
            try (Db db = source.get()) {
                new Fence(out, clock).lift(db);
            }
            freezer.store().write(l -> l.fence(null));
        }
        if (source != null) {
            try (Db db = source.get()) {
                dropReplication(db, freezer.store().migration());
            }
        }
    }

    /**
     * A logical migration killed midway leaves its slot on the source, which keeps WAL until the disk
     * fills: drop this migration's slot and publication, and name any other pgrelocate slot left behind.
     */
    private void dropReplication(Db db, String migration) {
        new Teardown(db.spec(), null, LogicalNames.of(migration), out).run();
        LeftoverSlot.on(db).forEach(slot -> out.accept("rollback: note: another pgrelocate slot on the source: " + slot.line()));
    }
}
