package io.pgrelocate.controller;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.postgres.DbConnectException;
import io.pgrelocate.engine.rollback.Finish;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "finish", mixinStandardHelpOptions = true,
        description = {"Keeps the migration: ends the way back after a logical switch.",
                "",
                "Drops the reverse stream the switch started (subscription pgrelocate__<migration> on --source, then its "
                        + "replication slot and publication on --target, found by the name they record) and forgets the switch "
                        + "point. Run it once the target is proven and you no longer want a rollback: until then the slot keeps WAL "
                        + "on the target, and after the source is removed nothing else will drop it. Without --source (the source "
                        + "is gone) only the target's side is dropped. Afterwards a rollback can no longer bring the target's writes back.",
                "",
                "Example: pgrelocate finish --source postgresql://postgres@old-db:5432/app --target postgresql://postgres@new-db:5432/app", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:the reverse stream is gone (or there was none), or --dry-run", " 2:no --target, or a bad setting",
                " 3:a database cannot be reached", "22:what could not be dropped is named: run it again"})
class FinishCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Option(names = "--migration", paramLabel = "NAME", description = "The migration (default: the one the target's objects record).")
    String migration;

    @Option(names = "--dry-run", description = "Say what would be dropped; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (target.specOrNull() == null) {
                throw new SettingsException("finish needs --target URI: the reverse stream's slot lives there");
            }
            new Finish(source.spec().orElse(null), target.specOrNull(), line -> {
                out.println(line);
                out.flush();
            }).run(migration != null ? migration : LogicalSettings.DEFAULTS.migration(), dryRun);
            return 0;
        } catch (SettingsException e) {
            return ReplicationStatusView.fail(err, e.getMessage(), ExitCode.BAD_SETTINGS);
        } catch (EngineException e) {
            return ReplicationStatusView.fail(err, e.getMessage(), e.exitCode());
        } catch (DbConnectException e) {
            return ReplicationStatusView.fail(err, e.getMessage(), e.exitCode());
        }
    }
}
