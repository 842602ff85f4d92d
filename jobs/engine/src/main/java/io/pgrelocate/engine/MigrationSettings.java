package io.pgrelocate.engine;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.preflight.PreflightOptions;
import io.pgrelocate.engine.settings.ConnectionSpec;

/** Everything one migration needs, however it was configured (CLI flags or a Job's environment). */
public record MigrationSettings(ConnectionSpec source, ConnectionSpec target, CopyOptions copy, boolean allowNonEmpty) {
    public PreflightOptions preflightOptions() {
        return new PreflightOptions(allowNonEmpty, copy.keepOwnership(), copy.filter(), copy.tools(), copy.workDir(),
                copy.strategy() != Strategy.STREAM);
    }
}
