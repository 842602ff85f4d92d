package io.pgrelocate.controller;

import picocli.CommandLine.Option;

/** Which migration's replica ledger (ConfigMap pgrelocate-ledger-<name>) a command works on. */
public class MigrationOption {
    @Option(names = "--migration", paramLabel = "NAME",
            description = "Migration name (default: PGRELOCATE_MIGRATION in ConfigMap pgrelocate-settings, as the Jobs use).")
    String name;

    String resolve(ClusterSettings settings) {
        return settings.migration(name);
    }
}
