package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LeftoverRuns;
import io.pgrelocate.engine.copy.logical.LeftoverSlot;
import io.pgrelocate.engine.kube.AppFreezer;
import io.pgrelocate.engine.kube.Cutover;
import io.pgrelocate.engine.kube.Ledger;
import io.pgrelocate.engine.mysql.MysqlFence;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.switchover.Fence;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.rollback.RollbackWindow;
import io.pgrelocate.engine.rollback.SwitchPoint;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The rollback runbook, shared by the CLI and the Jobs: the applications come back on the source.
 * Before they are scaled back ({@link #beforeThaw}): after a cutover the applications are stopped first, every setting a cutover rewrote is put back, what a
 * logical run left is dropped (the subscription on the target, then slot and publication), and only then
 * the fence the ledger records is lifted, so the source never streams into the target again. Without
 * Kubernetes ({@link #sourceOnly}) the replication and the fence are all there is to undo.
 */
public final class Rollback {
    private final Consumer<String> out;
    private final Clock clock;
    private final ConnectionSpec target;

    public Rollback(Consumer<String> out, Clock clock) {
        this(out, clock, null);
    }

    private boolean discardTargetWrites;
    private Duration drainTimeout = Duration.ofMinutes(5);
    private ObjectFilter filter = ObjectFilter.SPILO_DEFAULT;

    /** Rollback after the switch without a reverse stream: lose the target's writes since the switch instead of refusing. */
    public Rollback discardingTargetWrites(boolean discard) {
        this.discardTargetWrites = discard;
        return this;
    }

    /** How long the reverse stream may take to drain, and which objects the migration moved (sequences and large objects carried back). */
    public Rollback withWindow(Duration drainTimeout, ObjectFilter filter) {
        this.drainTimeout = drainTimeout;
        this.filter = filter;
        return this;
    }

    /** @param target where a logical run's subscription is dropped (it holds the source password); null: the source's side only */
    public Rollback(Consumer<String> out, Clock clock, ConnectionSpec target) {
        this.out = out;
        this.clock = clock;
        this.target = target;
    }

    /** Local mode: drops what logical runs left ({@code migration}'s and those the servers record), then lifts the fence a local {@code migrate --switchover} raised. */
    public void sourceOnly(Db db, String migration, boolean dryRun) {
        if (dryRun) {
            leftovers(db).plan(migration).forEach(line -> out.accept("dry run: " + line));
            if (!afterSwitch(db, migration, true)) {
                out.accept("dry run: " + Fence.read(db).map(r -> "would lift the fence: " + r.summary()).orElse("the source is not fenced"));
            }
            return;
        }
        dropReplication(db, migration);
        if (afterSwitch(db, migration, false)) {
            window(db, migration).run(RollbackWindow.Apps.NONE);
            return;
        }
        if (new Fence(out, clock).lift(db).isEmpty()) {
            out.accept("rollback: " + db.spec().display() + " is not fenced");
        }
    }

    /**
     * Whether this rollback is one after the switch, to run as {@link RollbackWindow}: the source is
     * still fenced and the target recorded a switch point, or the source holds the reverse stream.
     * Refuses (nothing changed) when a reverse stream exists and {@code --target} is missing; drops a
     * reverse stream left by a finished rollback. {@code dryRun}: says what it would do.
     */
    private boolean afterSwitch(Db db, String known, boolean dryRun) {
        String migration;
        if (target == null) {
            migration = ReverseStream.migration(db, null, known);
        } else {
            try (Db tgt = Db.connect(target)) {
                migration = ReverseStream.migration(db, tgt, known);
            }
        }
        reverseMigration = migration;
        boolean reverse = ReverseStream.exists(db, migration);
        if (target == null) {
            if (reverse) {
                throw new SettingsException("the source holds the reverse stream " + ReverseStream.names(migration).subscription()
                        + " of the target's writes since the switch: pass --target URI so that rollback brings them back first; nothing was changed");
            }
            return false;
        }
        boolean after;
        try (Db tgt = Db.connect(target)) {
            after = Fence.read(db).isPresent() && RollbackWindow.afterSwitch(db, tgt, migration);
            if (!after && !dryRun && ReverseStream.anyLeft(db, tgt, migration)) {
                // a rollback that lifted the source's fence and stopped before dropping its reverse stream
                new ReverseStream(db.spec(), target, migration, out).drop();
                SwitchPoint.clear(tgt);
            }
        }
        if (after && dryRun) {
            if (reverse) {
                out.accept(new ReverseStream(db.spec(), target, migration, out).statusLine());
            }
            out.accept("dry run: would run the rollback window: freeze the applications, fence the target " + target.display() + ", "
                    + (reverse ? "drain the reverse stream " + ReverseStream.names(migration).subscription() + " and carry sequences and large objects back"
                    : "count the target's writes since the switch (refused unless none, or --discard-target-writes)")
                    + ", lift the source's fence, cut the applications back, thaw; the target stays fenced");
        }
        if (after) {
            window(db, migration).check();
        }
        return after;
    }

    /** The migration whose reverse stream {@link #afterSwitch} found (the one given, or the one the servers record). */
    private String reverseMigration;

    private RollbackWindow window(Db db, String migration) {
        return new RollbackWindow(db.spec(), target, reverseMigration != null ? reverseMigration : migration, filter,
                discardTargetWrites, drainTimeout, out, clock);
    }

    /** Local mode for a MySQL/MariaDB source: lifts the fence a {@code migrate --switchover} recorded on its server (no replication to drop). */
    public void sourceOnly(MysqlSource source, boolean dryRun) {
        if (dryRun) {
            out.accept("dry run: " + MysqlFence.recorded(source).map(r -> "would lift the fence: " + r).orElse("the source is not fenced"));
            return;
        }
        if (MysqlFence.liftRecorded(source, out).isEmpty()) {
            out.accept("rollback: " + source.display() + " is not fenced");
        }
    }

    /**
     * Before the applications are scaled back to their recorded replicas: refuses (nothing changed) when
     * the ledger records a fence and {@code source} is null; reverts the cutover, drops the migration's
     * replication, lifts the fence. {@code source} opens a session on the source, or is null when not given.
     */
    public void beforeThaw(AppFreezer freezer, Cutover cutover, Supplier<Db> source, Duration timeout, boolean dryRun) {
        beforeThaw(freezer, cutover, source, null, timeout, dryRun);
    }

    /** The same for a MySQL/MariaDB source: the fence recorded on its server is lifted last; it has no replication to drop. */
    public void beforeThaw(AppFreezer freezer, Cutover cutover, MysqlSource mysql, Duration timeout, boolean dryRun) {
        beforeThaw(freezer, cutover, null, mysql, timeout, dryRun);
    }

    private void beforeThaw(AppFreezer freezer, Cutover cutover, Supplier<Db> source, MysqlSource mysql, Duration timeout, boolean dryRun) {
        Ledger ledger = freezer.store().read().orElse(null);
        boolean fenced = ledger != null && ledger.fence() != null;
        if (fenced && source == null && mysql == null) {
            throw new SettingsException("the source is fenced (" + ledger.fence().summary() + "): pass --source URI so that rollback "
                    + "lifts the fence before the applications come back to it; nothing was changed");
        }
        if (fenced && (mysql != null) != (ledger.fence().mysql() != null)) {
            throw new SettingsException("the source is fenced (" + ledger.fence().summary() + "), and --source names "
                    + (mysql != null ? "a MySQL/MariaDB server" : "a PostgreSQL server") + ": pass the fenced source's URI; nothing was changed");
        }
        boolean cutOver = ledger != null && !ledger.cutover().isEmpty();
        if (dryRun) {
            if (cutOver) {
                out.accept("dry run: would stop " + ledger.workloads().stream().map(e -> e.ref().toString()).toList()
                        + " first (scale to 0, wait until their pods are gone)");
            }
            freezer.store().read().map(Ledger::cutover).orElse(List.of()).stream().filter(r -> r.key() != null)
                    .forEach(r -> out.accept("dry run: would restore " + r));
            if (source != null) {
                try (Db db = source.get()) {
                    leftovers(db).plan(freezer.store().migration()).forEach(line -> out.accept("dry run: " + line));
                    if (cutOver) {
                        afterSwitch(db, freezer.store().migration(), true);
                    }
                }
            }
            if (fenced) {
                out.accept("dry run: would lift the fence: " + ledger.fence().summary());
            }
            return;
        }
        if (cutOver && source != null) {
            String migration = freezer.store().migration();
            boolean after;
            try (Db db = source.get()) {
                after = afterSwitch(db, migration, false);
            }
            if (after) {
                try (Db db = source.get()) {
                    dropReplication(db, migration);
                    window(db, migration).run(new KubeApps(freezer, cutover, timeout, ledger.state(), clock));
                }
                freezer.store().write(l -> l.fence(null));
                return;
            }
        }
        if (cutOver) {
            if (target == null) {
                out.accept("rollback: WARNING: after the switch without --target nothing checks what the applications wrote on the target:"
                        + " it stays there, and the source does not have it");
            }
            // the applications run on the target: stopped first, so that none writes there while others write on the source
            freezer.stopRecorded(timeout);
        }
        cutover.revert(timeout);
        if (source != null) {
            try (Db db = source.get()) {
                dropReplication(db, freezer.store().migration());
            }
        }
        if (fenced && mysql != null) {
            MysqlFence.liftRecorded(mysql, out);
            freezer.store().write(l -> l.fence(null));
        } else if (fenced) {
            try (Db db = source.get()) {
                new Fence(out, clock).lift(db);
            }
            freezer.store().write(l -> l.fence(null));
        }
    }

    /** The applications of a Kubernetes migration in the rollback window: stopped, cut back, thawed; on a failure back on the target. */
    private record KubeApps(AppFreezer freezer, Cutover cutover, Duration timeout, Ledger.State before, Clock clock) implements RollbackWindow.Apps {
        @Override
        public void freeze() {
            freezer.stopRecorded(timeout);
        }

        @Override
        public void cutBack() {
            cutover.revert(timeout);
        }

        @Override
        public void thaw() {
            freezer.thaw(timeout, Ledger.State.ROLLED_BACK);
        }

        @Override
        public void backOnTarget() {
            freezer.thaw(timeout, before);
        }

        @Override
        public void reached(String phase) {
            freezer.store().write(l -> l.phase("rollback-" + phase, clock.instant()));
        }
    }

    private LeftoverRuns leftovers(Db db) {
        return new LeftoverRuns(db.spec(), target, out);
    }

    /**
     * A logical migration killed midway leaves its subscription on the target (it streams the source
     * into the target as soon as a fence is lifted) and its slot on the source (it keeps WAL until the
     * disk fills): drop them before the fence is lifted (or keep the fence and say so), and name any
     * other pgrelocate slot left behind.
     */
    private void dropReplication(Db db, String migration) {
        List<String> problems = leftovers(db).dropAll(migration);
        if (!problems.isEmpty()) {
            throw new EngineException(ExitCode.REPLICATION, "could not drop what a logical run left (" + String.join("; ", problems)
                    + "); the fence stays, so nothing streams from the source into the target: run rollback again once both servers answer");
        }
        LeftoverSlot.on(db).forEach(slot -> out.accept("rollback: note: another pgrelocate slot on the source: " + slot.line()));
    }
}
