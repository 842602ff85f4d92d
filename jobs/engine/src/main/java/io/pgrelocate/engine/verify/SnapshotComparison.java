package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.common.Plural;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/** Compares two snapshots and names every difference by object. */
public final class SnapshotComparison {
    private static final String ABSENT = "absent";

    private final List<Difference> differences = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public static SnapshotComparison compare(DatabaseSnapshot source, DatabaseSnapshot target) {
        SnapshotComparison c = new SnapshotComparison();
        c.tables(source.tables(), target.tables());
        c.keyed("sequence", source.sequences(), target.sequences(), SequenceState::toString);
        c.structure(source, target);
        return c;
    }

    /**
     * The target against the switch point, after the applications wrote on it: {@code source} is the
     * fenced source, which is the switch point. Schema objects, definitions and extensions must match;
     * a sequence may be ahead of the source's (the applications used it) but never behind (it would
     * hand out keys that exist); rows and large objects are the applications' now, and not compared.
     */
    public static SnapshotComparison afterSwitch(DatabaseSnapshot source, DatabaseSnapshot target) {
        SnapshotComparison c = new SnapshotComparison();
        c.sequencesNotBehind(source.sequences(), target.sequences());
        c.structure(source, target);
        c.warnings.add("after the switch: rows and large objects are not compared with the source (the applications write on the target; "
                + "the copy was proven in the switchover window); schema, definitions, sequences and rights are");
        return c;
    }

    /** Extensions, schema objects and their definitions. */
    private void structure(DatabaseSnapshot source, DatabaseSnapshot target) {
        extensions(source.extensions(), target.extensions());
        source.schemaObjects().keySet().forEach(kind -> objects(kind, source.schemaObjects().get(kind),
                target.schemaObjects().getOrDefault(kind, new TreeSet<>())));
        target.schemaObjects().keySet().stream().filter(k -> !source.schemaObjects().containsKey(k))
                .forEach(kind -> objects(kind, new TreeSet<>(), target.schemaObjects().get(kind)));
        DefinitionComparison.compare(source.definitions(), target.definitions(), differences::add);
    }

    private void sequencesNotBehind(SortedMap<String, SequenceState> source, SortedMap<String, SequenceState> target) {
        source.forEach((name, s) -> {
            SequenceState t = target.get(name);
            if (t == null) {
                differences.add(new Difference("sequence", name, s.toString(), ABSENT));
            } else if (t.lastValue() < s.lastValue() || (t.lastValue() == s.lastValue() && s.isCalled() && !t.isCalled())) {
                differences.add(new Difference("sequence", name, s.toString(), t + " (behind the switch point: the next values exist already)"));
            }
        });
    }

    public List<Difference> differences() {
        return differences;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Adds the per-OID differences found when the large-object summaries disagree. */
    public void largeObjects(SortedMap<Long, String> source, SortedMap<Long, String> target) {
        keyed("large object", source, target, md5 -> "content md5 " + md5);
    }

    /** Adds a difference for every owner, privilege, default privilege, role attribute or membership that is not the same. */
    public void privileges(SortedMap<String, String> source, SortedMap<String, String> target) {
        keyed("privilege", source, target, v -> v);
    }

    private void tables(SortedMap<String, TableDigest> source, SortedMap<String, TableDigest> target) {
        for (Map.Entry<String, TableDigest> e : source.entrySet()) {
            TableDigest t = target.get(e.getKey());
            TableDigest s = e.getValue();
            if (t == null) {
                differences.add(new Difference(s.kind(), e.getKey(), Plural.of(s.rows(), "row"), ABSENT));
            } else if (s.rows() != t.rows()) {
                differences.add(new Difference(s.kind(), e.getKey(), Plural.of(s.rows(), "row"), Plural.of(t.rows(), "row")));
            } else if (!s.digest().equals(t.digest())) {
                String hint = s.kind().startsWith("materialized") ? " (a stale source view differs from the refreshed copy: REFRESH it first)" : "";
                differences.add(new Difference(s.kind(), e.getKey(), "content digest " + s.digest(),
                        "content digest " + t.digest() + " (same row count, values differ)" + hint));
            }
        }
        target.keySet().stream().filter(k -> !source.containsKey(k)).forEach(k ->
                differences.add(new Difference(target.get(k).kind(), k, ABSENT, Plural.of(target.get(k).rows(), "row"))));
    }

    private void extensions(SortedMap<String, String> source, SortedMap<String, String> target) {
        for (Map.Entry<String, String> e : source.entrySet()) {
            String version = target.get(e.getKey());
            if (version == null) {
                differences.add(new Difference("extension", e.getKey(), "version " + e.getValue(), ABSENT));
            } else if (!version.equals(e.getValue())) {
                // pg_restore creates the target's default version; ALTER EXTENSION ... UPDATE aligns them.
                warnings.add("extension " + e.getKey() + ": source version " + e.getValue() + ", target version " + version);
            }
        }
        target.keySet().stream().filter(k -> !source.containsKey(k)).forEach(k ->
                differences.add(new Difference("extension", k, ABSENT, "version " + target.get(k))));
    }

    private <K, V> void keyed(String kind, SortedMap<K, V> source, SortedMap<K, V> target, Function<V, String> show) {
        for (Map.Entry<K, V> e : source.entrySet()) {
            V t = target.get(e.getKey());
            if (!Objects.equals(e.getValue(), t)) {
                differences.add(new Difference(kind, String.valueOf(e.getKey()), show.apply(e.getValue()),
                        t == null ? ABSENT : show.apply(t)));
            }
        }
        target.keySet().stream().filter(k -> !source.containsKey(k)).forEach(k ->
                differences.add(new Difference(kind, String.valueOf(k), ABSENT, show.apply(target.get(k)))));
    }

    private void objects(String kind, SortedSet<String> source, SortedSet<String> target) {
        source.stream().filter(n -> !target.contains(n))
                .forEach(n -> differences.add(new Difference(kind, n, "present", ABSENT)));
        target.stream().filter(n -> !source.contains(n))
                .forEach(n -> differences.add(new Difference(kind, n, ABSENT, "present")));
    }
}
