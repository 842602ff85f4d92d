package io.pgrelocate.engine.verify;

import java.util.List;

/**
 * What legitimately differs in how two servers print the same definition, removed before comparing.
 * The list is short on purpose, and {@link #APPLIED} says it in the report:
 * white space (pg_get_viewdef and pg_get_functiondef lay out by major), and a trailing semicolon.
 */
final class DefinitionNormaliser {
    static final List<String> APPLIED = List.of(
            "runs of white space in a definition compare as one space",
            "a trailing semicolon of a view or function definition is ignored");

    private DefinitionNormaliser() {
    }

    static String normalise(String kind, String definition) {
        if (definition == null) {
            return "";
        }
        String d = definition.replaceAll("\\s+", " ").strip();
        return d.endsWith(";") ? d.substring(0, d.length() - 1).stripTrailing() : d;
    }
}
