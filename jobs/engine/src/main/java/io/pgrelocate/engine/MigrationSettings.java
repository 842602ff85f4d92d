package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.preflight.PreflightOptions;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.switchover.VerifyMode;

/** Everything one migration needs, however it was configured (CLI flags or a Job's environment). */
public record MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty, VerifyMode verify) {
    /** With the full proof before the thaw. */
    public MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty) {
        this(source, target, copy, allowNonEmpty, VerifyMode.BEFORE_THAW);
    }

    public MigrationSettings {
        if (verify == null) {
            verify = VerifyMode.BEFORE_THAW;
        }
    }

    public PreflightOptions preflightOptions() {
        return new PreflightOptions(allowNonEmpty, copy.keepOwnership(), copy.filter(), copy.tools(), copy.workDir());
    }
}
