package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.runbook.Runbook;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.stop.StopSignals;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.SettingsException;
import io.pgrelocate.engine.verify.VerifyMode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Shared shape of preflight/migrate/verify: read settings, run one engine step, print the report. */
abstract class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connections;

    @Mixin
    CopyOptionsMixin copy;

    @Mixin
    ReportOptions report;

    @Option(names = "--allow-non-empty", description = "Accept a target database that already holds objects.")
    boolean allowNonEmpty;

    abstract MigrationReport run(Runbook runbook);

    /** A MySQL/MariaDB source's settings; migrate and verify add their own options. */
    MysqlMigrationSettings mysqlSettings() {
        return MysqlOptions.defaults(this, false);
    }

    /** When the switchover window proves the copy; only migrate has a window. */
    VerifyMode verifyMode() {
        return VerifyMode.BEFORE_THAW;
    }

    /** How a logical migration catches up; only migrate has one. */
    LogicalSettings logical() {
        return LogicalSettings.DEFAULTS;
    }

    /** The applications' schema-migration command for the window, or null; only migrate has a window. */
    String schemaHook() {
        return null;
    }

    /** A SIGTERM or Ctrl-C during the run ends it through its failure path, with exit code 19 (StopSignals). */
    @Override
    public Integer call() {
        return StopSignals.guard(StopSignals.DEFAULT_GRACE, System.err, this::runLocally);
    }

    private int runLocally() {
        Runbook runbook;
        try {
            report.checkWritable();
            runbook = Runbook.of(connections.source, () -> new MigrationSettings(connections.source(), connections.target(),
                    copy.toCopyOptions(), allowNonEmpty, verifyMode(), schemaHook(), logical()), this::mysqlSettings,
                    timestamped(progress()), Clock.systemUTC());
        } catch (SettingsException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCode.BAD_SETTINGS.code();
        }
        MigrationReport result = run(runbook);
        return report.finish(result, spec.commandLine().getOut());
    }

    /** Progress goes to stderr when stdout carries the JSON report. */
    PrintWriter progress() {
        return report.json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    static Consumer<String> timestamped(PrintWriter out) {
        return line -> {
            out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
            out.flush();
        };
    }
}
