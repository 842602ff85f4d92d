package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.Locale;

/**
 * The names of one migration's publication, replication slot and subscription: all
 * {@code pgrelocate_<migration>}, so teardown, rollback and status find them from any machine.
 * Slot names allow only lower-case letters, digits and underscores, at most 63 bytes.
 */
public record LogicalNames(String migration, String name) {
    public static final String PREFIX = "pgrelocate_";

    public static LogicalNames of(String migration) {
        String cleaned = migration == null ? "" : migration.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty()) {
            throw new SettingsException("a logical migration needs a name (letters, digits, underscores)");
        }
        String name = PREFIX + cleaned;
        if (name.length() > 63) {
            throw new SettingsException("migration name '" + migration + "' is too long for a replication slot: use at most "
                    + (63 - PREFIX.length()) + " characters");
        }
        return new LogicalNames(migration, name);
    }

    public String publication() {
        return name;
    }

    public String slot() {
        return name;
    }

    public String subscription() {
        return name;
    }
}
