package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.postgres.Inventory;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** What a dry run shows after preflight: what would be copied, how much, left out, and the commands. */
public final class CopyPlan {
    private static final int LARGEST_SHOWN = 5;

    private CopyPlan() {
    }

    public static List<String> lines(Inventory source, ObjectFilter filter, List<String> commands, ConnectionSpec target) {
        List<String> lines = new ArrayList<>();
        lines.add("would copy " + Plural.of(source.tables().size(), "table") + ", " + Plural.of(source.largeObjects(), "large object")
                + ", " + Plural.of(source.extensions().size(), "extension") + ": " + Durations.bytes(source.databaseBytes())
                + " on disk on the source, of which " + Durations.bytes(source.estimatedDumpBytes())
                + " table data and large objects (the dump's size, uncompressed; indexes are rebuilt, not copied)");
        String largest = source.tables().stream().sorted(Comparator.comparingLong(TableInfo::bytes).reversed()).limit(LARGEST_SHOWN)
                .map(t -> t.qualifiedName() + " " + Durations.bytes(t.bytes())).collect(Collectors.joining(", "));
        if (!largest.isEmpty()) {
            lines.add("largest tables: " + largest);
        }
        lines.add("left out: " + (filter.excludedSchemas().isEmpty() && filter.excludedExtensions().isEmpty() ? "nothing"
                : filter.toString()));
        commands.forEach(c -> lines.add("would run: " + c));
        lines.add("estimated time: not estimated here (no measured rate); `pgrelocate plan` computes one from a backup-test run");
        return lines;
    }
}
