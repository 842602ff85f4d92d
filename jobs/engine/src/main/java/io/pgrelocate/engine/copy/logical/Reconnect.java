package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * New sessions on both servers after one of them went away during the catch-up (a restart, a
 * failover of the source's pod): the replication itself survives that — the slot is kept on disk
 * and the subscription connects again on its own — so the catch-up can go on once both servers
 * answer and the slot is still there. A server that stays away, or a slot that is gone, ends the run.
 */
final class Reconnect {
    /** How many times one catch-up connects again before it gives up. */
    static final int TIMES = 3;
    static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration PAUSE = Duration.ofSeconds(1);

    record Sessions(Db source, Db target) {
    }

    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final LogicalNames names;
    private final Consumer<String> out;

    Reconnect(ConnectionSpec source, ConnectionSpec target, LogicalNames names, Consumer<String> out) {
        this.source = source;
        this.target = target;
        this.names = names;
        this.out = out;
    }

    /** Both sessions again once both servers answer within {@link #WAIT}; else {@code lost} rethrown, saying it waited. */
    Sessions after(EngineException lost) {
        DbException last = (DbException) lost.getCause();
        out.accept("catch-up: a server went away (" + last.getMessage() + "); connecting again (up to " + WAIT.toSeconds() + " s)");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Pause.sleep(PAUSE);
            try {
                return sessions();
            } catch (DbException e) {
                last = e;
            }
        }
        throw new EngineException(ExitCode.REPLICATION, lost.getMessage() + "; still unreachable after " + WAIT.toSeconds() + " s ("
                + last.getMessage() + ")", lost);
    }

    private Sessions sessions() {
        Db src = Db.connect(source);
        Db tgt = null;
        try {
            tgt = Db.connect(target);
            SlotHealth slot = SlotHealth.read(src, names.slot()).orElseThrow(() -> new EngineException(ExitCode.REPLICATION,
                    "catch-up: replication slot " + names.slot() + " is gone from " + source.display()
                            + " after the server came back: run the migration again"));
            out.accept("catch-up: both servers answer again, " + slot.line() + "; the subscription connects again on its own");
            return new Sessions(src, tgt);
        } catch (RuntimeException e) {
            src.close();
            if (tgt != null) {
                tgt.close();
            }
            throw e;
        }
    }
}
