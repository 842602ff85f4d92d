package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.nio.file.Path;

/**
 * What preflight needs to know about the planned copy.
 *
 * @param dumpOnDisk the strategy writes the whole dump to {@code workDir} (dump), rather than only the schema (stream)
 */
public record PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools,
                               Path workDir, int jobs, boolean dumpOnDisk) {
    public PreflightOptions(boolean allowNonEmpty, boolean keepOwnership, ObjectFilter filter, PgTools tools, Path workDir, int jobs) {
        this(allowNonEmpty, keepOwnership, filter, tools, workDir, jobs, true);
    }
}
