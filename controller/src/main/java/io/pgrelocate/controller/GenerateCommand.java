package io.pgrelocate.controller;

import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes the manifests of the target: pgrelocate generate cnpg --help."},
        subcommands = GenerateCnpgCommand.class)
class GenerateCommand {
}
