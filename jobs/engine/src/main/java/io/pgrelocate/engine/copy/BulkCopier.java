package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.List;

/**
 * Moves the data of {@code tables} (and the schema around them) from source to target, from a
 * snapshot it is given or takes, and reports what it did: {@code dump} and {@code stream}, and
 * logical's bulk phase. The runbook never calls one directly: it drives a {@link WindowCopy}.
 */
public interface BulkCopier {
    /**
     * Copies source → target.
     *
     * @param snapshot an exported snapshot ({@code pg_export_snapshot()} or a replication slot's) to
     *                 copy from, so the copy meets a change stream exactly; null: take one's own
     */
    CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles, String snapshot);

    /**
     * Records each table as its data is committed, and the start of the later phases, in {@code ledger}
     * during the next {@link #copy}; false when this copier cannot (a resume then has nothing to go by).
     */
    default boolean recordInto(CopyLedger ledger) {
        return false;
    }

    /** The commands {@link #copy} would run, for a dry run; none for a strategy that runs no tools. */
    default List<String> plannedCommands(ConnectionSpec target) {
        return List.of();
    }
}
