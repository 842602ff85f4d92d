package io.pgrelocate.controller;

import io.pgrelocate.engine.copy.logical.LogicalSettings;
import picocli.CommandLine.Option;

import java.time.Duration;

/** A logical replication's name and limits: migrate --strategy logical, replicate, switch. */
public class ReplicationOptions {
    @Option(names = "--max-lag", paramLabel = "SIZE", defaultValue = "16MB",
            description = "Logical: the window opens (switch: may open) once the target is this close to the source, in WAL "
                    + "(default: ${DEFAULT-VALUE}); the smaller, the shorter the drain inside the window.")
    String maxLag;

    @Option(names = "--catch-up-timeout", paramLabel = "DURATION", defaultValue = "24h", converter = Durations.class,
            description = "Logical: how long the bulk copy and catch-up may take, while the applications run "
                    + "(default: ${DEFAULT-VALUE}); past it nothing was frozen (migrate drops the slot; replicate leaves the replication running).")
    Duration catchUpTimeout;

    @Option(names = "--replica-identity-full",
            description = "Logical: consent to ALTER TABLE … REPLICA IDENTITY FULL on the source's tables that "
                    + "have no primary key or usable unique index (otherwise preflight lists them and refuses).")
    boolean replicaIdentityFull;

    @Option(names = "--migration", paramLabel = "NAME", defaultValue = "local",
            description = "Logical: names the publication, slot and subscription pgrelocate_<NAME> "
                    + "(default: ${DEFAULT-VALUE}), so two migrations from one source keep apart and replicate, status, switch, "
                    + "abort and rollback find them.")
    String migrationName;

    LogicalSettings settings() {
        return new LogicalSettings(migrationName, LogicalSettings.parseSize(maxLag), catchUpTimeout,
                LogicalSettings.DEFAULTS.drainTimeout(), replicaIdentityFull);
    }
}
