package io.pgrelocate.controller;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.roles.RolePasswords;
import io.pgrelocate.engine.settings.ObjectFilter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the copy runs and what it leaves behind. */
public class CopyOptionsMixin {
    @Option(names = "--strategy", paramLabel = "dump|stream|logical", defaultValue = "stream",
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

    @Option(names = "--keep-ownership", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep the application's owners and grants, carrying the roles they name (attributes, memberships, "
                    + "passwords) to the target first (default). --no-keep-ownership: pg_restore --no-owner --no-acl, "
                    + "every object owned by the target user.")
    boolean keepOwnership;

    @Option(names = "--role-passwords", paramLabel = "carry|target-secret", defaultValue = "carry",
            description = "carry: the roles' stored password verifiers move from the source's pg_authid (needs a source user "
                    + "that may read it), so the applications log in with the passwords they have; target-secret: roles "
                    + "without passwords, the applications will use a target Secret (default: ${DEFAULT-VALUE}).")
    String rolePasswords;

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
        return new CopyOptions(Strategy.parse(strategy), jobs, workDir, compress, keepOwnership, filter(), PgTools.locate(pgBin), !skipAnalyze,
                RolePasswords.parse(rolePasswords));
    }
}
