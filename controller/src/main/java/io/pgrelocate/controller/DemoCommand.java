package io.pgrelocate.controller;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.report.ReportWriter;
import io.pgrelocate.engine.report.Summary;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs a whole migration on this machine, with nothing to set up.", "",
                "Starts two throwaway PostgreSQL servers on free loopback ports (source: embedded PostgreSQL 14;",
                "target: the newest installed /usr/lib/postgresql/N, else embedded 14), loads a Mastodon-like",
                "database (accounts, users, statuses, follows; foreign keys, sequences, citext, hstore, large objects),",
                "runs preflight -> migrate -> verify, shows that verify catches a deleted row, then stops both servers.",
                "Needs pg_dump/pg_restore (postgresql-client) of major >= 14."})
class DemoCommand implements Callable<Integer> {
    private static final String DATABASE = "mastodon";

    @Spec
    CommandSpec spec;

    @Option(names = {"-j", "--jobs"}, defaultValue = "2", description = "Parallel workers (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the migration's JSON report to FILE.")
    Path reportFile;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> progress = LocalCommand.timestamped(out);
        PgBinaries sourceBinaries = PgBinaries.embedded();
        PgBinaries targetBinaries = PgBinaries.findSystem().orElse(sourceBinaries);
        // A fresh random password per run: the demo exercises real password authentication.
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        progress.accept("demo: starting source PostgreSQL " + sourceBinaries.version() + " and target PostgreSQL "
                + targetBinaries.version() + " on free loopback ports");
        try (LocalPostgres source = LocalPostgres.start(sourceBinaries, password);
             LocalPostgres target = LocalPostgres.start(targetBinaries, password)) {
            source.createDatabase(DATABASE);
            target.createDatabase(DATABASE);
            progress.accept("demo: loading the Mastodon-like sample into " + source.uri(DATABASE));
            source.executeSql(DATABASE, sampleSql());

            Path work = Files.createTempDirectory("pgrelocate-demo-");
            try {
                return migrateAndVerify(source, target, password, work, progress, out);
            } finally {
                Directories.deleteRecursively(work);
            }
        }
    }

    private int migrateAndVerify(LocalPostgres source, LocalPostgres target, String password, Path work,
                                 Consumer<String> progress, PrintWriter out) {
        MigrationSettings settings = new MigrationSettings(spec(source, password), spec(target, password),
                new CopyOptions(jobs, work, 0, false, ObjectFilter.SPILO_DEFAULT, PgTools.locate(null), true), false);
        MigrationReport report = new Migration(settings, progress, Clock.systemUTC()).migrate(false);
        out.println();
        out.println(Summary.of(report));
        if (reportFile != null) {
            ReportWriter.write(report, reportFile);
            out.println("report written to " + reportFile);
        }
        if (report.exitCode() != ExitCode.OK.code()) {
            return report.exitCode();
        }
        return showDamageIsCaught(target, settings, progress, out);
    }

    /** Deletes one row on the target and verifies again: the demo must show a named difference. */
    private static int showDamageIsCaught(LocalPostgres target, MigrationSettings settings, Consumer<String> progress,
                                          PrintWriter out) {
        progress.accept("demo: now deleting one follow on the target and verifying again");
        target.executeSql(DATABASE, "DELETE FROM follows WHERE id = (SELECT max(id) FROM follows)");
        MigrationReport again = new Migration(settings, line -> { }, Clock.systemUTC()).verify();
        again.verify().differences().forEach(d -> out.println("  caught: " + d.describe()));
        boolean caught = again.exitCode() == ExitCode.DIFFERENCES.code();
        out.println(caught ? "demo: verify caught the damage (exit code " + again.exitCode() + "), as it should"
                : "demo: verify did NOT catch the damage — this is a bug");
        out.flush();
        return caught ? ExitCode.OK.code() : ExitCode.FAILED.code();
    }

    private static ConnectionSpec spec(LocalPostgres pg, String password) {
        return ConnectionSpec.parse(pg.uri(DATABASE)).withPassword(Secret.of(password));
    }

    private static String sampleSql() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/mastodon.sql")) {
            if (in == null) {
                throw new IOException("demo/mastodon.sql is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
