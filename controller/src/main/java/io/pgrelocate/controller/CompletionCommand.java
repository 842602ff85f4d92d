package io.pgrelocate.controller;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for pgrelocate (commands, options, option values).",
                "",
                "bash, for this shell:   source <(pgrelocate completion bash)",
                "bash, for good:         pgrelocate completion bash > ~/.local/share/bash-completion/completions/pgrelocate",
                "zsh, in ~/.zshrc:       source <(pgrelocate completion zsh)",
                "",
                "The script completes the command `pgrelocate`; for `kubectl pgrelocate`, kubectl 1.26+ asks the plugin "
                        + "itself only when a kubectl_complete-pgrelocate executable is on PATH."})
class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell.")
    Shell shell;

    enum Shell { bash, zsh }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("pgrelocate", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // picocli's script is bash; zsh runs it through its bash completion emulation
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
