package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.merge.MergeMapping;
import io.pgrelocate.engine.merge.MergeRun;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge several sources (MySQL/MariaDB and PostgreSQL) into one PostgreSQL schema, as a YAML mapping says:",
                "per target table its source tables, column renames, casts, and a key whose conflicts resolve by onConflict",
                "(first, last, or fail listing the keys). The load follows the sources' foreign keys; the result is verified",
                "against the sources. The sources' passwords come from passwordEnv or passwordFile in the mapping.",
                "",
                "Example:",
                "  PGRELOCATE_TARGET_PASSWORD=... pgrelocate merge --mapping identity.yaml --target postgresql://app@new-db-rw/app --dry-run"})
class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ReportOptions report;

    @Option(names = "--mapping", paramLabel = "FILE", required = true, description = "The YAML mapping (README, section Merging several sources).")
    Path mapping;

    @Option(names = "--dry-run", description = "Print the plan (tables, column mapping, expected row counts, conflicts); write nothing.")
    boolean dryRun;

    @Option(names = "--clean", description = "Drop and recreate the tables the mapping owns, and nothing else.")
    boolean clean;

    @Override
    public Integer call() {
        MergeMapping parsed;
        ConnectionSpec target;
        try {
            if (connections.source != null && !connections.source.equals(System.getenv(ConnectionOptions.SOURCE_ENV))) {
                throw new SettingsException("merge takes its sources from the mapping, not from --source");
            }
            parsed = MergeMapping.read(mapping);
            target = connections.target();
        } catch (SettingsException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCode.BAD_SETTINGS.code();
        }
        var progress = report.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        MigrationReport result = new MergeRun(parsed, target, PasswordSource.fromSystem(), LocalCommand.timestamped(progress),
                Clock.systemUTC()).merge(dryRun, clean);
        return report.finish(result, spec.commandLine().getOut());
    }
}
