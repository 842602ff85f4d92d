package io.pgrelocate.controller;

import io.pgrelocate.engine.copy.logical.LogicalSettings;
import picocli.CommandLine.Mixin;

/** A local command that may run a logical replication: migrate, replicate, switch, with its name and limits. */
abstract class ReplicationCommand extends LocalCommand {
    @Mixin
    ReplicationOptions replication;

    @Override
    LogicalSettings logical() {
        return replication.settings();
    }
}
