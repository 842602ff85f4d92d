package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.roles.AppLogin;
import io.pgrelocate.engine.roles.RolePasswords;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.nio.file.Path;
import java.util.List;

/**
 * What preflight needs to know about the planned copy.
 *
 * @param dumpOnDisk    the strategy writes the whole dump to {@code workDir} (dump), rather than only the schema (stream)
 * @param rolePasswords how the roles' passwords reach the target (with {@code keepOwnership})
 * @param apps          the applications' logins on the target, rehearsed; their roles are carried too
 */
public record PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools,
                               Path workDir, int jobs, boolean dumpOnDisk, RolePasswords rolePasswords, List<AppLogin> apps) {
    public PreflightOptions {
        rolePasswords = rolePasswords == null ? RolePasswords.CARRY : rolePasswords;
        apps = apps == null ? List.of() : List.copyOf(apps);
    }

    public PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools, Path workDir, int jobs,
                            boolean dumpOnDisk) {
        this(allowNonEmpty, keepOwnership, filter, tools, workDir, jobs, dumpOnDisk, RolePasswords.CARRY, List.of());
    }

    public PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools, Path workDir, int jobs) {
        this(allowNonEmpty, keepOwnership, filter, tools, workDir, jobs, true);
    }
}
