package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.stop.Interruption;
import io.pgrelocate.engine.verify.SourceDigests;

import java.util.List;

/**
 * {@code dump} and {@code stream} as the window sees them: nothing before it, the whole bulk copy
 * inside it. The source is fenced, so any snapshot of it is the switch point's; the copier takes its own.
 */
public final class CopyInWindow implements WindowCopy {
    private final String name;
    private final BulkCopier copier;
    private final boolean writesToDisk;
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final List<TableInfo> tables;
    private final List<RoleInfo> roles;
    private final SourceDigests digests;

    public CopyInWindow(String name, BulkCopier copier, boolean writesToDisk, ConnectionSpec source, ConnectionSpec target,
                        List<TableInfo> tables, List<RoleInfo> roles) {
        this(name, copier, null, writesToDisk, source, target, tables, roles);
    }

    /** With {@code digests}: what {@code copier} digests of the source as it copies (null: nothing). */
    public CopyInWindow(String name, BulkCopier copier, SourceDigests digests, boolean writesToDisk, ConnectionSpec source,
                        ConnectionSpec target, List<TableInfo> tables, List<RoleInfo> roles) {
        this.digests = digests;
        this.name = name;
        this.copier = copier;
        this.writesToDisk = writesToDisk;
        this.source = source;
        this.target = target;
        this.tables = List.copyOf(tables);
        this.roles = List.copyOf(roles);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SourceDigests sourceDigests() {
        return digests;
    }

    @Override
    public boolean writesToDisk() {
        return writesToDisk;
    }

    @Override
    public List<String> plannedCommands(ConnectionSpec target) {
        return copier.plannedCommands(target);
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
