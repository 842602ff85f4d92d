package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.settings.ObjectFilter;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Filters a pg_restore table of contents ({@code pg_restore --list}): drops the excluded
 * extensions and their comments. Works with every pg_dump version, unlike --exclude-extension.
 */
final class RestoreList {
    // e.g. "3; 3079 16385 EXTENSION - set_user " and "4211; 0 0 COMMENT - EXTENSION set_user "
    private static final Pattern EXTENSION_ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (?:EXTENSION - |COMMENT - EXTENSION )(\\S+)");

    private RestoreList() {
    }

    static List<String> filter(List<String> toc, ObjectFilter filter) {
        return toc.stream().filter(line -> keeps(line, filter)).toList();
    }

    private static boolean keeps(String line, ObjectFilter filter) {
        Matcher m = EXTENSION_ENTRY.matcher(line);
        return !m.find() || filter.keepsExtension(m.group(1));
    }
}
