package io.pgrelocate.controller;

import io.pgrelocate.engine.discover.SourceDescription;

import java.util.ArrayList;
import java.util.List;

/** The sources as kubectl prints objects: one row each, columns as wide as their widest cell. */
final class SourceTable {
    private static final List<String> HEADER = List.of("SOURCE", "KIND", "MAJOR", "SIZE", "SECRET", "APPS");

    private SourceTable() {
    }

    static List<String> lines(List<SourceDescription> sources) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        sources.forEach(s -> rows.add(List.of(s.name(), s.flavour().label(), orUnknown(s.major()),
                orUnknown(s.storage().size()), secret(s.secretNames()), s.apps().isEmpty() ? "-" : String.join(",", s.apps()))));
        int[] widths = new int[HEADER.size()];
        rows.forEach(r -> {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        return rows.stream().map(r -> {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? r.get(i) : String.format("%-" + (widths[i] + 3) + "s", r.get(i)));
            }
            return line.toString();
        }).toList();
    }

    private static String orUnknown(Object value) {
        return value == null ? "?" : value.toString();
    }

    /** The first Secret (a Zalando cluster's first user's), and how many more: the rest are in -o yaml. */
    private static String secret(List<String> names) {
        return names.isEmpty() ? "-" : names.get(0) + (names.size() > 1 ? " (+" + (names.size() - 1) + ")" : "");
    }
}
