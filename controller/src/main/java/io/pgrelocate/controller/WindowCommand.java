package io.pgrelocate.controller;

import io.pgrelocate.engine.verify.VerifyMode;
import picocli.CommandLine.Mixin;

/** A local command that runs the switchover window: migrate and switch, with the window's and the replication's options. */
abstract class WindowCommand extends ReplicationCommand {
    @Mixin
    WindowOptions window;

    @Override
    String schemaHook() {
        return window.schemaHook;
    }

    @Override
    VerifyMode verifyMode() {
        return window.mode();
    }
}
