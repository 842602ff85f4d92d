package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** The top of the `pgrelocate` command tree. */
@TopCommand
@Command(name = "pgrelocate", mixinStandardHelpOptions = true, version = "pgrelocate 0.1.0",
        description = {
                "Moves a live PostgreSQL database into CloudNativePG or a managed service, and proves nothing was lost.",
                "",
                "On Kubernetes: each step is a Job made from a suspended CronJob template (manifests/), as "
                        + "`kubectl create job --from=cronjob/pgrelocate-<job>` would make it. Start one with `pgrelocate run`, "
                        + "read it with `logs` and `status`; stop, point and restore the applications with `freeze`, `thaw`, `cutover`, "
                        + "`rollback`. Cluster access as kubectl: -n, --context, --kubeconfig. Add --dry-run to see first "
                        + "what would change.",
                "",
                "Locally: give two libpq URIs; passwords come from the environment, a password file or ~/.pgpass, "
                        + "never from the command line. Start with `pgrelocate demo`, then `pgrelocate preflight`.",
                ""},
        subcommands = {DiscoverCommand.class, PlanCommand.class, GenerateCommand.class, RunCommand.class, LogsCommand.class,
                StatusCommand.class, FreezeCommand.class, ThawCommand.class, CutoverCommand.class, RollbackCommand.class, FinishCommand.class,
                PreflightCommand.class, MigrateCommand.class, ReplicateCommand.class, SwitchCommand.class, AbortCommand.class, MergeCommand.class, VerifyCommand.class, DemoCommand.class, CompletionCommand.class},
        modelTransformer = PgRelocateCommand.ExitCodes.class,
        exitCodeListHeading = "%nExit codes (of pgrelocate and of every Job):%n")
public class PgRelocateCommand {
    /** The exit code list comes from the engine's ExitCode, so the help cannot fall behind it. */
    static final class ExitCodes implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            Map<String, String> codes = new LinkedHashMap<>();
            for (ExitCode c : ExitCode.values()) {
                codes.put(String.format("%2d", c.code()), c.meaning());
            }
            spec.usageMessage().exitCodeList(codes);
            return spec;
        }
    }
}
