package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A local {@code replicate} in a JVM of its own, for tests that SIGKILL it: args are the source and
 * target URIs without password, the migration's name and the start of the log line to pause at (so
 * the test kills it right there); the password comes on stdin, never on a command line or in the environment.
 */
public final class ReplicateChild {
    private ReplicateChild() {
    }

    public static void main(String[] args) throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ConnectionSpec source = ConnectionSpec.parse(args[0]).withPassword(Secret.of(password));
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(Secret.of(password));
        MigrationSettings settings = new MigrationSettings(source, target,
                TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL), false, null, null,
                new LogicalSettings(args[2], 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false));
        new Migration(settings, line -> {
            System.out.println(line);
            System.out.flush();
            if (line.startsWith(args[3])) {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Clock.systemUTC()).replicate(false, false);
    }
}
