package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.copy.logical.LogicalInWindow;
import io.pgrelocate.engine.copy.CopyInWindow;
import io.pgrelocate.engine.copy.WindowCopy;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.CopyStrategies;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** The window's part of each strategy. */
public final class WindowCopies {
    private WindowCopies() {
    }

    public static WindowCopy of(MigrationSettings settings, List<TableInfo> tables, List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        CopyOptions options = settings.copy();
        return switch (options.strategy()) {
            case DUMP, STREAM -> new CopyInWindow(CopyStrategies.bulkCopier(options, out, clock), settings.source(), settings.target(),
                    tables, roles);
            case LOGICAL -> new LogicalInWindow(settings.source(), settings.target(), settings.logical(), options,
                    CopyStrategies.bulkCopier(options, out, clock), tables, roles, out, clock);
        };
    }
}
