package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.mysql.Canonical;
import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.MappedType;
import io.pgrelocate.engine.mysql.MysqlRows;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.PgRows;
import io.pgrelocate.engine.mysql.ValueKind;

import java.util.List;

/** Reads a feed's rows from its source, and renders them canonically by the target's column types. */
final class FeedRows {
    private FeedRows() {
    }

    static long stream(MergeSources sources, Feed feed, MysqlRows.RowConsumer consumer) {
        MergeSources.Opened src = sources.get(feed.source());
        if (feed.mysql()) {
            return MysqlRows.stream(src.mysql(), feed.sourceTable(), feed.columns(), consumer);
        }
        return PgRows.stream(src.pg(), feed.sourceTable(), feed.columns().stream().map(c -> PgNames.quote(c.source())).toList(),
                consumer::accept);
    }

    static String[] canonical(Feed feed, Object[] raw) {
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ColumnPlan c = feed.columns().get(i);
            out[i] = feed.mysql() ? Canonical.mysql(c, raw[i]) : Canonical.postgres(c, (String) raw[i]);
        }
        return out;
    }

    /**
     * How COPY writes the feed's values: MySQL values are converted by the target type; PostgreSQL
     * values are already PostgreSQL's text and are only escaped.
     */
    static List<ColumnPlan> encoding(Feed feed) {
        if (feed.mysql()) {
            return feed.columns();
        }
        return feed.columns().stream().map(c -> new ColumnPlan(c.source(), c.target(),
                new MappedType(c.type().pgType(), ValueKind.TEXT, null, c.type().rule()), c.nullable(), null, false)).toList();
    }

    /** The positions of {@code key} among the feed's target columns. */
    static int[] keyPositions(Feed feed, List<String> key) {
        List<String> names = feed.columns().stream().map(ColumnPlan::target).toList();
        return key.stream().mapToInt(names::indexOf).toArray();
    }

    static String key(String[] canonical, int[] positions) {
        StringBuilder sb = new StringBuilder();
        for (int p : positions) {
            sb.append(sb.length() == 0 ? "" : ",").append(canonical[p]);
        }
        return sb.toString();
    }
}
