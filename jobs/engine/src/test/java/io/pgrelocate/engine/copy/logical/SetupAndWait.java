package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpCopy;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A migration process for the SIGTERM test: sets up the logical strategy with its shutdown hook,
 * says so, then waits to be killed. Arguments: source URI, target URI, migration name; the
 * password comes on stdin, never in arguments or the environment.
 */
public final class SetupAndWait {
    private SetupAndWait() {
    }

    /** Starts this process for {@code pair}'s databases, its output in {@code log} (a killed child's pipes close), the password on stdin. */
    static Process start(LogicalPair pair, Path log) throws IOException {
        Process migration = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SetupAndWait.class.getName(),
                pair.sourceServer.uri(pair.sourceDb), pair.targetServer.uri(pair.targetDb), pair.sourceDb)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Writer stdin = new OutputStreamWriter(migration.getOutputStream(), StandardCharsets.UTF_8)) {
            stdin.write(TestServers.PASSWORD + "\n");
        }
        return migration;
    }

    public static void main(String[] args) throws Exception {
        Secret password = Secret.of(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine());
        ConnectionSpec source = ConnectionSpec.parse(args[0]).withPassword(password);
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(password);
        CopyOptions copy = TestServers.copyOptions(TestServers.workDir(), false);
        LogicalStrategy logical = new LogicalStrategy(source, target, LogicalOptions.defaults(args[2], ObjectFilter.SPILO_DEFAULT)
                        .withReplicaIdentityFull(true),
                copy, new DumpCopy(copy, line -> { }, Clock.systemUTC()), System.out::println, Clock.systemUTC()).withShutdownHook();
        logical.setup(List.of(), List.of());
        System.out.println("SETUP DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
