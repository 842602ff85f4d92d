package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.util.regex.Pattern;

/**
 * The names of one migration's publication, replication slot and subscription: all
 * {@code pgrelocate_<migration>}, so teardown, rollback and status find them from any machine.
 * Slot names allow only lower-case letters, digits and underscores, at most 63 bytes; a migration
 * name is refused with the rule rather than mangled, so that two names never meet in one object
 * (the one mapping, {@code -} to {@code _}, is caught by the record each object carries).
 */
public record LogicalNames(String migration, String name) {
    public static final String PREFIX = "pgrelocate_";
    static final int MAX = 63 - PREFIX.length();
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    public static final String RULE = "1 to " + MAX + " lower-case letters, digits, '-' and '_', starting with a letter or digit"
            + " (it names the publication, slot and subscription " + PREFIX + "<name>, with '-' as '_')";

    public static LogicalNames of(String migration) {
        if (migration == null || migration.isEmpty()) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "a logical migration needs a name (--migration): " + RULE);
        }
        if (migration.length() > MAX || !ALLOWED.matcher(migration).matches()) {
            throw new EngineException(ExitCode.BAD_SETTINGS, "migration name '" + migration + "' is not usable: " + RULE);
        }
        return new LogicalNames(migration, PREFIX + migration.replace('-', '_'));
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

    /** What each object carries as its COMMENT, so that rollback finds a run's objects by its name and never takes another's. */
    String record() {
        return RECORD + migration;
    }

    static final String RECORD = "pgrelocate migration ";
}
