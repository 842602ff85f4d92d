package io.pgrelocate.controller;

import io.pgrelocate.engine.verify.VerifyMode;
import picocli.CommandLine.Option;

/** How the switchover window proves the copy and what it runs before the target goes live: migrate --switchover, switch. */
public class WindowOptions {
    @Option(names = "--verify", paramLabel = "MODE",
            description = "In the window: before-thaw (the default for dump and stream) proves everything before the target "
                    + "takes a write; at-switch (the default for logical) "
                    + "checks only the sequences in the window, and row counts and content digests after the switch, in snapshots "
                    + "both sides exported at the switch point, so the window does not grow with the data. A difference found "
                    + "after the switch is reported loudly with the rollback command (exit 12).")
    String verify;

    @Option(names = "--schema-hook", paramLabel = "COMMAND",
            description = "In the window: the applications' own schema migration, run against the target after the "
                    + "verification and before the target goes live, e.g. \"kratos migrate sql -e --yes\". Split at spaces, no "
                    + "shell; it connects through PGHOST/PGPORT/PGDATABASE/PGUSER and a pgpass file (no password in its "
                    + "environment); its output is followed. A failure lifts the fence and leaves the source as it was (exit 23).")
    String schemaHook;

    VerifyMode mode() {
        return verify == null ? null : VerifyMode.parse(verify);
    }
}
