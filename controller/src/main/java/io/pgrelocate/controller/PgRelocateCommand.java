package io.pgrelocate.controller;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The top of the `pgrelocate` command tree. */
@TopCommand
@Command(name = "pgrelocate", mixinStandardHelpOptions = true, version = "pgrelocate 0.1.0",
        description = {
                "Moves a live PostgreSQL database into CloudNativePG or a managed service, and proves nothing was lost.",
                "",
                "Local mode: give two libpq URIs; passwords come from the environment, a password file or ~/.pgpass,",
                "never from the command line. Start with `pgrelocate demo`, then `pgrelocate preflight`."},
        subcommands = {PreflightCommand.class, MigrateCommand.class, VerifyCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:success", " 1:unexpected error", " 2:bad settings or usage", " 3:a database cannot be reached",
                " 4:a database refused the login", " 5:incompatible PostgreSQL versions", " 6:the target database is not empty",
                " 7:an extension is missing on the target", " 8:not enough free space for the dump",
                " 9:pg_dump/pg_restore missing or too old", "10:the target user lacks a needed privilege",
                "11:dump or restore failed", "12:verification found differences"})
public class PgRelocateCommand {
}
