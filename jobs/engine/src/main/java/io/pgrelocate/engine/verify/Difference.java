package io.pgrelocate.engine.verify;

/**
 * One thing that is not the same on the target, named by object.
 *
 * @param kind   table, sequence, large object, extension, index, constraint, …
 * @param object qualified name, OID, or extension name
 * @param source what the source has ("absent" when it has nothing)
 * @param target what the target has
 */
public record Difference(String kind, String object, String source, String target) {
    public String describe() {
        return kind + " " + object + ": source " + source + ", target " + target;
    }
}
