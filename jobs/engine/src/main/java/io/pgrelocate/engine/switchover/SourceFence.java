package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The window's port to the source's fence: makes the source refuse writes from everyone, ends every
 * other session, and lifts that again exactly as recorded. PostgreSQL's is {@link PostgresFence}
 * (around {@link Fence}); a MySQL/MariaDB source has its own in {@code mysql}. The window calls
 * {@link #raise} once, then {@link #lift} on every path that brings the applications back on the
 * source, and {@link #close} always.
 */
public interface SourceFence extends AutoCloseable {
    /** Why the tool's user cannot fence the source, if it cannot; read-only, checked before anything changes. */
    Optional<String> missingPrivilege();

    /** What raising the fence would do now, for the plan and a dry run. Reads only. */
    List<String> plan();

    /**
     * What a raised fence did: one line for the log and the report, and the record the applications'
     * ledger keeps (null: the ledger is not told).
     */
    record Raised(String summary, FenceRecord record) {
    }

    /** Raises the fence (in a session the fence keeps until {@link #close}) and ends every other session. */
    Raised raise();

    /** Right before the switch: refuses ({@code FENCE}) when a write could have passed the fence since it rose, naming how. */
    void confirm();

    /** One line for the report: what this fence cannot stop, stated rather than hidden. */
    String stillPossible();

    /** Where the source stood once fenced (PostgreSQL: its WAL position), for the log and the copy. */
    String position();

    /** The verified-copy marker a later cutover compares with, or null when this source has none. */
    SourceMarker marker(ObjectFilter filter, Instant at);

    /**
     * Lifts the fence as it was recorded, in a session of its own (the window's may be what failed);
     * empty when there was none, or when {@link #raise} never reached the source. Returns the line that says what it did.
     */
    Optional<String> lift();

    /** How an operator lifts the fence by hand, e.g. {@code pgrelocate rollback --source postgresql://…}. */
    String liftCommand();

    /** Ends the fence's session; never throws. */
    @Override
    void close();
}
