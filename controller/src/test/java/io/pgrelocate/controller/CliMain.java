package io.pgrelocate.controller;

import picocli.CommandLine;

/** The CLI as its own process, as Quarkus's main runs it (exit code = the command's), for tests that signal it. */
public final class CliMain {
    private CliMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PgRelocateCommand()).execute(args));
    }
}
