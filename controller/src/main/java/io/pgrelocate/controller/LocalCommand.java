package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.Migration;
import io.pgrelocate.engine.MigrationSettings;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.SettingsException;
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

    abstract MigrationReport run(Migration migration);

    @Override
    public Integer call() {
        MigrationSettings settings;
        try {
            settings = new MigrationSettings(connections.source(), connections.target(), copy.toCopyOptions(), allowNonEmpty);
        } catch (SettingsException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCode.BAD_SETTINGS.code();
        }
        MigrationReport result = run(new Migration(settings, timestamped(progress()), Clock.systemUTC()));
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
