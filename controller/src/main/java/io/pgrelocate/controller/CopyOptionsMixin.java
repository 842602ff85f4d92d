package io.pgrelocate.controller;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.settings.ObjectFilter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the copy runs and what it leaves behind. */
public class CopyOptionsMixin {
    @Option(names = "--strategy", paramLabel = "dump|stream|logical", defaultValue = "dump",
            description = "How the data moves: dump (pg_dump/pg_restore through --work-dir), stream (parallel COPY, nothing on disk), "
                    + "logical (copy and catch up while the applications run) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "2",
            description = "Parallel workers: pg_dump/pg_restore jobs, stream COPY workers, verify sessions per server (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
            description = "Where each run makes its private directory pgrelocate-<random> (0700, removed afterwards) for the dump; "
                    + "needs room for the table data; refused when other users could tamper with it (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--compress", paramLabel = "0-9", defaultValue = "0",
            description = "pg_dump compression level; 0 is fastest when disk space allows (default: ${DEFAULT-VALUE}).")
    int compress;

    @Option(names = "--keep-ownership",
            description = "Keep owners and grants (creates missing roles on the target, without passwords) instead of --no-owner --no-acl.")
    boolean keepOwnership;

    @Option(names = "--exclude", paramLabel = "[schema:|extension:]NAME", split = ",",
            description = "Leave a schema or an extension behind; repeatable. Added to the defaults unless --no-default-excludes.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--no-default-excludes",
            description = "Do not leave out Spilo's extras (extensions pg_stat_kcache, set_user; schemas metric_helpers, user_management).")
    boolean noDefaultExcludes;

    @Option(names = "--pg-bin", paramLabel = "DIR",
            description = "Directory with pg_dump and pg_restore (default: $PGRELOCATE_PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH).")
    Path pgBin;

    @Option(names = "--skip-analyze", description = "Do not ANALYZE the target after the restore.")
    boolean skipAnalyze;

    ObjectFilter filter() {
        ObjectFilter extra = ObjectFilter.parse(excludes);
        if (noDefaultExcludes) {
            return extra;
        }
        List<String> all = new ArrayList<>(excludes);
        ObjectFilter.SPILO_DEFAULT.excludedSchemas().forEach(s -> all.add("schema:" + s));
        ObjectFilter.SPILO_DEFAULT.excludedExtensions().forEach(e -> all.add("extension:" + e));
        return ObjectFilter.parse(all);
    }

    CopyOptions toCopyOptions() {
        return new CopyOptions(Strategy.parse(strategy), jobs, workDir, compress, keepOwnership, filter(), PgTools.locate(pgBin), !skipAnalyze);
    }
}
