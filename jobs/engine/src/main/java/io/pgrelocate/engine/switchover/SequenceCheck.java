package io.pgrelocate.engine.switchover;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.verify.Difference;
import io.pgrelocate.engine.verify.SnapshotReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The part of the proof that stays inside an {@code at-switch} window: every sequence's value on
 * both sides, one catalog statement per side whatever the number of sequences ({@link SnapshotReader#sequences}). Rows are never
 * touched here: their counts and digests run after the thaw, in the switch point's snapshots, so
 * the window does not grow with the data.
 */
public final class SequenceCheck {
    private final ObjectFilter filter;

    public SequenceCheck(ObjectFilter filter) {
        this.filter = filter;
    }

    public List<Difference> compare(Db source, Db target) {
        List<Difference> differences = new ArrayList<>();
        // both sides at once: each reads every sequence, which a session opens one by one the first time
        CompletableFuture<Map<String, String>> onSource = CompletableFuture.supplyAsync(() -> values(source));
        Map<String, String> t = values(target);
        Map<String, String> s;
        try {
            s = onSource.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        TreeSet<String> names = new TreeSet<>(s.keySet());
        names.addAll(t.keySet());
        for (String name : names) {
            String a = s.getOrDefault(name, "missing");
            String b = t.getOrDefault(name, "missing");
            if (!a.equals(b)) {
                differences.add(new Difference("sequence", name, a, b));
            }
        }
        return differences;
    }

    private Map<String, String> values(Db db) {
        Map<String, String> values = new TreeMap<>();
        new SnapshotReader(db, filter, line -> { }).sequences().forEach((name, state) ->
                values.put(name, state.lastValue() + (state.isCalled() ? "" : " (not called)")));
        return values;
    }
}
