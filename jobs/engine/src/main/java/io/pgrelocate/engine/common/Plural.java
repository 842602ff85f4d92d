package io.pgrelocate.engine.common;

/** "1 table", "2 tables", "1 index", "3 indexes", "1 policy", "2 policies": counts as people write them. */
public final class Plural {
    private Plural() {
    }

    public static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : plural(noun));
    }

    static String plural(String noun) {
        if (noun.endsWith("x") || noun.endsWith("s")) {
            return noun + "es";
        }
        if (noun.endsWith("y") && !noun.endsWith("ey")) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        // "large object" → "large objects": the last word takes the plural
        return noun + "s";
    }
}
