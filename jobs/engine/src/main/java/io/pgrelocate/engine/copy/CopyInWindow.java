package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.List;

/**
 * {@code dump} and {@code stream} in the window: nothing before it, the whole bulk copy inside it.
 * The source is fenced, so any snapshot of it is the switch point's; the copier takes its own.
 */
public final class CopyInWindow implements WindowCopy {
    private final BulkCopier copier;
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final List<TableInfo> tables;
    private final List<RoleInfo> roles;

    public CopyInWindow(BulkCopier copier, ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles) {
        this.copier = copier;
        this.source = source;
        this.target = target;
        this.tables = List.copyOf(tables);
        this.roles = List.copyOf(roles);
    }

    @Override
    public void beforeWindow() {
    }

    @Override
    public CopyResult inWindow(FencedSource fenced) {
        Interruption.checkpoint("copy");
        CopyResult result = copier.copy(source, target, tables, roles, null);
        Interruption.checkpoint("copy");
        return result;
    }

    @Override
    public void finish() {
    }

    @Override
    public void abort() {
        // a partly restored target is left as it is: preflight refuses it until it is emptied, and the source never changed
    }
}
