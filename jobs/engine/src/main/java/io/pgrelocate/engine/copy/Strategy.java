package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the data moves. {@code dump} and {@code stream} copy inside the switchover window;
 * {@code logical} copies and catches up while the applications run, so only the drain sits inside it.
 */
public enum Strategy {
    /** pg_dump -Fd -j N into the work directory, then pg_restore -j N. */
    DUMP,
    /** Parallel COPY from one exported snapshot straight into the target; nothing on disk. */
    STREAM,
    /** Bulk copy from a replication slot's snapshot, then logical replication until the switch. */
    LOGICAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy parse(String text) {
        for (Strategy s : values()) {
            if (s.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new SettingsException("unknown strategy '" + text + "': use one of "
                + Arrays.stream(values()).map(Strategy::label).collect(Collectors.joining(", ")));
    }
}
