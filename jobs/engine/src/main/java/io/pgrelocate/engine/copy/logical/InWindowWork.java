package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.common.Durations;
import io.pgrelocate.engine.common.Plural;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan's account of logical's window: what it does whatever the size (drain, sequences, schema
 * fingerprint) and, named with their size on the source now, the steps that grow with the data
 * because replication does not carry them: unlogged tables' rows, materialized views' refresh, large objects.
 */
public final class InWindowWork {
    private InWindowWork() {
    }

    public static List<String> lines(Db source, ObjectFilter filter) {
        List<TableInfo> tables = new Introspector(source, filter).tables();
        List<TableInfo> unlogged = tables.stream().filter(t -> t.unlogged() && !t.materializedView()).toList();
        List<TableInfo> views = tables.stream().filter(t -> t.materializedView() && t.populated()).toList();
        List<String> lines = new ArrayList<>();
        lines.add("in the window, whatever the size: the schema fingerprint, the drain to the fenced source's final position, "
                + "the sequences (one statement per side); no row is counted or read");
        if (!unlogged.isEmpty()) {
            lines.add("in the window, growing with the data: copy the rows of " + Plural.of(unlogged.size(), "unlogged table") + " ("
                    + Durations.bytes(bytes(unlogged)) + "; replication does not carry them)");
        }
        if (!views.isEmpty()) {
            lines.add("in the window, growing with the data: refresh " + Plural.of(views.size(), "materialized view") + " on the target ("
                    + Durations.bytes(bytes(views)) + " on the source; a refresh runs the view's query)");
        }
        long count = source.longValue("SELECT count(*) FROM pg_largeobject_metadata");
        if (count > 0) {
            lines.add("large objects: " + Plural.of(count, "large object") + " (" + Durations.bytes(new Introspector(source, filter).largeObjectBytes())
                    + ") copied during the catch-up; in the window only those changed since are written, found "
                    + (LargeObjectSync.versionsFromPages(source) ? "by their pages' versions (no content read)"
                    : "by hashing every one again (the role cannot read pg_largeobject: this grows with their size)"));
        }
        return lines;
    }

    private static long bytes(List<TableInfo> tables) {
        return tables.stream().mapToLong(TableInfo::bytes).sum();
    }
}
