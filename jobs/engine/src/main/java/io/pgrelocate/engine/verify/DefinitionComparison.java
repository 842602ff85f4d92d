package io.pgrelocate.engine.verify;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Compares the definitions of objects both sides have (a missing object is already a difference of
 * its own); each difference names the object and shows both definitions.
 */
final class DefinitionComparison {
    private DefinitionComparison() {
    }

    static void compare(SortedMap<String, SortedMap<String, String>> source, SortedMap<String, SortedMap<String, String>> target,
                        Consumer<Difference> differences) {
        source.forEach((kind, defs) -> {
            Map<String, String> other = target.getOrDefault(kind, new TreeMap<>());
            defs.forEach((name, def) -> {
                String theirs = other.get(name);
                if (theirs != null && !theirs.equals(def)) {
                    differences.accept(new Difference(kind, name, "definition " + def, "definition " + theirs));
                }
            });
        });
    }
}
