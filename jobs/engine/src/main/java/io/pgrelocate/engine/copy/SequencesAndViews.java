package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.DbException;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.SequenceValues;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * What a schema-only dump leaves out besides table data: sequence positions (last_value and
 * is_called, also for sequences owned by no column) and materialized view contents.
 */
final class SequencesAndViews {
    private SequencesAndViews() {
    }

    /** {@code setval} statements for the target, read on the source. */
    static List<String> sequenceSettings(Db source, ObjectFilter filter) {
        List<String> names = source.list("""
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'S' AND %s AND %s
                """.formatted(filter.userSchemaPredicate("n.nspname"), Introspector.notExtensionMember("pg_class", "c.oid")),
                rs -> rs.getString(1));
        List<SequenceValues.Value> values = SequenceValues.read(source, names);
        List<String> setvals = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            setvals.add("SELECT pg_catalog.setval(" + LargeObjects.literal(names.get(i)) + ", " + values.get(i).lastValue() + ", "
                    + values.get(i).isCalled() + ")");
        }
        return setvals;
    }

    /**
     * REFRESH of every populated materialized view; one that reads another view not yet refreshed
     * fails and is tried again in the next round, so dependency order needs no graph.
     */
    static void refresh(Db target, List<TableInfo> views, boolean analyze) {
        List<TableInfo> pending = new ArrayList<>(views.stream().filter(v -> v.materializedView() && v.populated()).toList());
        while (!pending.isEmpty()) {
            DbException last = null;
            List<TableInfo> next = new ArrayList<>();
            for (TableInfo v : pending) {
                try {
                    target.execute("REFRESH MATERIALIZED VIEW " + v.sqlName());
                    if (analyze) {
                        target.execute("ANALYZE " + v.sqlName());
                    }
                } catch (DbException e) {
                    last = e;
                    next.add(v);
                }
            }
            if (next.size() == pending.size()) {
                throw new StreamFailure("refreshing materialized view " + next.get(0).qualifiedName(), last);
            }
            pending = next;
        }
    }
}
