package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.CopyStrategies;
import io.pgrelocate.engine.postgres.RoleInfo;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** The window's part of each strategy. */
public final class WindowCopies {
    private WindowCopies() {
    }

    public static WindowCopy of(CopyOptions options, ConnectionSpec source, ConnectionSpec target, List<TableInfo> tables,
                                List<RoleInfo> roles, Consumer<String> out, Clock clock) {
        return switch (options.strategy()) {
            case DUMP, STREAM -> new CopyInWindow(CopyStrategies.bulkCopier(options, out, clock), source, target, tables, roles);
            case LOGICAL -> throw new EngineException(ExitCode.BAD_SETTINGS,
                    "strategy logical has no switchover window in this build yet; use --strategy dump");
        };
    }
}
