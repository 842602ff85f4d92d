package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.DumpCopy;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.testing.TestServers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
