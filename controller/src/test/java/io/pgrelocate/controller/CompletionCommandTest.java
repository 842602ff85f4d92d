package io.pgrelocate.controller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion script loads in a real bash and completes commands and options. */
class CompletionCommandTest {
    private final Cli cli = Cli.local();

    @TempDir
    Path dir;

    @Test
    void bashScriptLoadsAndCompletesCommandsAndOptions() throws Exception {
        assertThat(cli.run("completion", "bash")).isZero();
        Path script = dir.resolve("pgrelocate.bash");
        Files.writeString(script, cli.out());
        String complete = "source " + script + " && complete -p pgrelocate"
                + " && COMP_WORDS=(pgrelocate mig) COMP_CWORD=1 COMP_LINE='pgrelocate mig' COMP_POINT=14 && _complete_pgrelocate"
                + " && echo \"commands: ${COMPREPLY[*]}\""
                + " && COMP_WORDS=(pgrelocate migrate --dry) COMP_CWORD=2 COMP_LINE='pgrelocate migrate --dry' COMP_POINT=24"
                + " && _complete_pgrelocate && echo \"options: ${COMPREPLY[*]}\"";
        String output = bash(complete);
        assertThat(output).contains("-F _complete_pgrelocate pgrelocate", "commands: migrate", "options: --dry-run");
    }

    @Test
    void zshScriptTurnsOnBashCompletionFirst() {
        assertThat(cli.run("completion", "zsh")).isZero();
        assertThat(cli.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n")
                .contains("_picocli_pgrelocate");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        assertThat(cli.run("completion", "fish")).isEqualTo(2);
        assertThat(cli.err()).contains("fish").contains("bash, zsh");
    }

    private static String bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
