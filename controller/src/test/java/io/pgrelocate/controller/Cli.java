package io.pgrelocate.controller;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code pgrelocate} as a user types it, with what it prints. Against a cluster, every command gets
 * {@code --kubeconfig FILE}, so the kubeconfig handling (server, context, namespace) is tested too.
 */
final class Cli {
    private final Path kubeconfig;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Cli(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    static Cli local() {
        return new Cli(null);
    }

    static Cli against(Path kubeconfig) {
        return new Cli(kubeconfig);
    }

    int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (kubeconfig != null) {
            all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        }
        CommandLine cli = new CommandLine(new PgRelocateCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(all.toArray(String[]::new));
    }

    /** For commands that wait on the cluster while the test plays the part of its controllers. */
    CompletableFuture<Integer> start(String... args) {
        return CompletableFuture.supplyAsync(() -> run(args));
    }

    /** Safe to read while a started command still writes: StringWriter's buffer is synchronized. */
    String out() {
        return out.toString();
    }

    /** The output with every run of white space as one space, for help text that picocli wraps. */
    String outFlat() {
        return out().replaceAll("\\s+", " ");
    }

    String err() {
        return err.toString();
    }

    void clear() {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }
}
