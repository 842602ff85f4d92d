package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LogicalNames;
import io.pgrelocate.engine.copy.logical.Teardown;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "abort", mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes (besides those of pgrelocate --help):%n",
        exitCodeList = {" 0:nothing of the replication is left on either server", "22:something could not be dropped (each named)"},
        description = {"Gives up a logical migration that pgrelocate replicate left streaming (no switch ran): drops its subscription "
                        + "on --target (disable, detach from the slot, drop), then its replication slot and publication on --source, "
                        + "and the run's record (schema pgrelocate on the target), all found by --migration. The source is as it was "
                        + "before replicate: it was never fenced, and the slot no longer retains WAL.",
                "",
                "The rows replicate copied stay in the target database: abort does not drop tables (the target may be shared, "
                        + "and a DROP DATABASE is yours to decide); to replicate again into it, empty it first.",
                "",
                "Example: pgrelocate abort --migration shop --source postgresql://postgres@old-db/app --target postgresql://postgres@new-db-rw/app", ""})
class AbortCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Option(names = "--migration", paramLabel = "NAME", defaultValue = "local",
            description = "The migration replicate ran for (default: ${DEFAULT-VALUE}): its objects are pgrelocate_<NAME>.")
    String migration;

    @Option(names = "--dry-run", description = "Say what would be dropped; drop nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ConnectionSpec tgt = target.specOrNull();
            if (!source.given() || tgt == null) {
                throw new SettingsException("abort needs --source and --target (the slot and publication are on the source, the subscription on the target)");
            }
            ConnectionSpec src = source.spec().orElseThrow();
            LogicalNames names = LogicalNames.of(migration);
            if (dryRun) {
                out.println("dry run: would drop subscription " + names.subscription() + " on " + tgt.display() + " (disable, detach, drop) and "
                        + "the run's record there, then replication slot and publication " + names.slot() + " on " + src.display()
                        + ", where they exist; the copied rows stay on the target");
                out.flush();
                return ExitCode.OK.code();
            }
            Teardown.Result r = new Teardown(src, tgt, names, line -> {
                out.println(line);
                out.flush();
            }).run();
            if (!r.clean()) {
                return ReplicationStatusView.fail(err, "abort left " + String.join("; ", r.problems()), ExitCode.REPLICATION);
            }
            out.println(r.dropped().isEmpty() ? "abort: nothing of " + names.subscription() + " was found on either server"
                    : "abort: nothing of " + names.subscription() + " is left; the copied rows stay on the target");
            out.flush();
            return ExitCode.OK.code();
        } catch (SettingsException e) {
            return ReplicationStatusView.fail(err, e.getMessage(), ExitCode.BAD_SETTINGS);
        } catch (EngineException e) {
            return ReplicationStatusView.fail(err, e.getMessage(), e.exitCode());
        }
    }
}
