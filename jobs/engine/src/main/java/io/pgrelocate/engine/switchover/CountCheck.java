package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.Introspector;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.verify.Difference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of the proof that stays inside an {@code at-switch} window: per table its row count, per
 * sequence its value, on both sides. Cheap next to the content digests, which run after the thaw.
 */
public final class CountCheck {
    private final ObjectFilter filter;

    public CountCheck(ObjectFilter filter) {
        this.filter = filter;
    }

    public List<Difference> compare(Db source, Db target) {
        List<Difference> differences = new ArrayList<>();
        Map<String, String> s = state(source);
        Map<String, String> t = state(target);
        TreeSet<String> names = new TreeSet<>(s.keySet());
        names.addAll(t.keySet());
        for (String name : names) {
            String a = s.getOrDefault(name, "missing");
            String b = t.getOrDefault(name, "missing");
            if (!a.equals(b)) {
                int space = name.indexOf(' ');
                differences.add(new Difference(name.substring(0, space), name.substring(space + 1), a, b));
            }
        }
        return differences;
    }

    private Map<String, String> state(Db db) {
        Map<String, String> state = new TreeMap<>();
        for (TableInfo t : new Introspector(db, filter).tables()) {
            if (!t.materializedView() || t.populated()) {
                String from = (t.materializedView() ? "" : "ONLY ") + t.sqlName();
                state.put("row count " + t.qualifiedName(), db.longValue("SELECT count(*) FROM " + from) + " rows");
            }
        }
        db.list("SELECT schemaname || '.' || sequencename, coalesce(last_value::text, 'not called') FROM pg_sequences WHERE "
                + filter.userSchemaPredicate("schemaname"), rs -> state.put("sequence " + rs.getString(1), rs.getString(2)));
        return state;
    }
}
