package io.pgrelocate.engine.runbook;

import io.pgrelocate.engine.copy.logical.LogicalSettings;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.preflight.PreflightOptions;
import io.pgrelocate.engine.roles.AppLogin;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.verify.VerifyMode;

import java.util.List;

/**
 * Everything one migration needs, however it was configured (CLI flags or a Job's environment).
 *
 * @param verify     when the switchover window proves the copy; null: the strategy's default
 * @param schemaHook the applications' schema-migration command run in the window against the target, or null
 * @param logical    how the logical strategy catches up and drains (unused by the others)
 * @param appLogins  the applications' logins on the target: their roles are carried, their logins rehearsed in preflight
 */
public record MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify,
                                String schemaHook, LogicalSettings logical, List<AppLogin> appLogins) {
    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify,
                             String schemaHook, LogicalSettings logical) {
        this(source, target, copy, allowNonEmpty, verify, schemaHook, logical, List.of());
    }

    /** The same migration with the applications' logins (the {@code kube} half resolves them from the workloads). */
    public MigrationSettings withAppLogins(List<AppLogin> apps) {
        return new MigrationSettings(source, target, copy, allowNonEmpty, verify, schemaHook, logical, apps);
    }

    /** With the strategy's verify mode and no hook. */
    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty) {
        this(source, target, copy, allowNonEmpty, null);
    }

    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify) {
        this(source, target, copy, allowNonEmpty, verify, null);
    }

    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify,
                             String schemaHook) {
        this(source, target, copy, allowNonEmpty, verify, schemaHook, LogicalSettings.DEFAULTS);
    }

    /** {@code verify} null: the strategy's own default ({@link io.pgrelocate.engine.copy.WindowCopy#defaultVerify}). */
    public MigrationSettings {
        if (logical == null) {
            logical = LogicalSettings.DEFAULTS;
        }
        appLogins = appLogins == null ? List.of() : List.copyOf(appLogins);
        if (schemaHook != null && schemaHook.isBlank()) {
            schemaHook = null;
        }
    }

    /** @param dataOnDisk the strategy writes the data to the work directory (dump); stream and logical's bulk copy pipe it */
    public PreflightOptions preflightOptions(boolean dataOnDisk) {
        return new PreflightOptions(allowNonEmpty, copy.keepOwnership(), copy.filter(), copy.tools(), copy.workDir(), copy.jobs(),
                dataOnDisk, copy.rolePasswords(), appLogins);
    }
}
