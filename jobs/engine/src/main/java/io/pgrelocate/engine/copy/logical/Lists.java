package io.pgrelocate.engine.copy.logical;

import java.util.List;

/** Short renderings of name lists for one-line messages. */
final class Lists {
    private static final int SHOWN = 5;

    private Lists() {
    }

    /** The first few names, then how many more. */
    static String some(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(SHOWN, names.size())));
        return names.size() > SHOWN ? shown + " and " + (names.size() - SHOWN) + " more" : shown;
    }
}
