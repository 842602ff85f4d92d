package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.nio.file.Path;

/** What preflight needs to know about the planned copy. */
public record PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools,
                               Path workDir, int jobs) {
}
