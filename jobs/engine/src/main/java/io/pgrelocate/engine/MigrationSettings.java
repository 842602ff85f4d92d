package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.preflight.PreflightOptions;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.switchover.VerifyMode;

/** Everything one migration needs, however it was configured (CLI flags or a Job's environment). */
/**
 * @param verify     when the switchover window proves the copy
 * @param schemaHook the applications' schema-migration command run in the window against the target, or null
 */
public record MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify,
                                String schemaHook) {
    /** With the full proof before the thaw and no hook. */
    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty) {
        this(source, target, copy, allowNonEmpty, VerifyMode.BEFORE_THAW);
    }

    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify) {
        this(source, target, copy, allowNonEmpty, verify, null);
    }

    public MigrationSettings {
        if (verify == null) {
            verify = VerifyMode.BEFORE_THAW;
        }
        if (schemaHook != null && schemaHook.isBlank()) {
            schemaHook = null;
        }
    }

    public PreflightOptions preflightOptions() {
        return new PreflightOptions(allowNonEmpty, copy.keepOwnership(), copy.filter(), copy.tools(), copy.workDir(), copy.jobs());
    }
}
