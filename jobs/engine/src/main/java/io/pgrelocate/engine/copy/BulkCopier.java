package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.List;

/**
 * The seam between the runbook and the data: a strategy moves the data of {@code tables} (and the
 * schema around them) from source to target and reports what it did. It knows neither the
 * applications nor the switchover window; {@link io.pgrelocate.engine.runbook.Migration} owns the order of steps.
 */
public interface BulkCopier {
    /**
     * Copies source → target.
     *
     * @param snapshot an exported snapshot ({@code pg_export_snapshot()} or a replication slot's) to
     *                 copy from, so the copy meets a change stream exactly; null: take one's own
     */
    CopyResult copy(ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles, String snapshot);

    /** The commands {@link #copy} would run, for a dry run; none for a strategy that runs no tools. */
    default List<String> plannedCommands(ConnectionSpec target) {
        return List.of();
    }
}
