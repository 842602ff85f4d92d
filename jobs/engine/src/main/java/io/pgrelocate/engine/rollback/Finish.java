package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.copy.logical.ReverseStream;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.function.Consumer;

/**
 * The migration is kept: the way back ends. Drops the reverse stream (the subscription on the
 * source when it is given and still there, then slot and publication on the target — the slot
 * would otherwise keep WAL on the target until its disk fills, above all once cleanup removed the
 * source) and forgets the switch point. A rollback after that can no longer bring the target's writes back.
 */
public final class Finish {
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final Consumer<String> out;

    /** @param source null when it is gone: the target's side only */
    public Finish(ConnectionSpec source, ConnectionSpec target, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.out = out;
    }

    /** Ends {@code known}'s reverse stream, or the one the servers record; {@code dryRun}: says what it would drop. */
    public void run(String known, boolean dryRun) {
        String migration;
        try (Db tgt = Db.connect(target); Db src = source == null ? null : Db.connect(source)) {
            migration = ReverseStream.migration(src, tgt, known);
            LogicalNames names = ReverseStream.names(migration);
            if (dryRun) {
                if (source != null && ReverseStream.exists(src, migration)) {
                    out.accept(new ReverseStream(source, target, migration, out).statusLine());
                }
                out.accept("dry run: would drop " + (source == null ? "" : "subscription " + names.subscription() + " on " + source.display()
                        + ", then ") + "replication slot and publication " + names.slot() + " on " + target.display()
                        + ", where they exist, and forget the switch point; a rollback could then no longer bring the target's writes back");
                return;
            }
        }
        Teardown.Result r = new ReverseStream(source, target, migration, out).drop();
        if (!r.clean()) {
            throw new EngineException(ExitCode.REPLICATION, "finish: " + String.join("; ", r.problems()) + "; run finish again");
        }
        try (Db tgt = Db.connect(target)) {
            SwitchPoint.clear(tgt);
        }
        out.accept("finish: " + (r.dropped().isEmpty() ? "no reverse stream was left" : "the reverse stream " + ReverseStream.names(migration).slot()
                + " is gone") + "; rollback can no longer bring the target's writes back to the source"
                + (source == null ? " (a subscription of that name may remain on the source: pass --source to drop it)" : ""));
    }
}
