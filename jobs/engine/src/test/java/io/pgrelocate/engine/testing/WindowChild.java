package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.copy.logical.LogicalSettings;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A local {@code migrate --switchover} in a JVM of its own, for tests that kill it: args are the
 * source and target URIs without password, then optionally a logical migration's name and the
 * start of the log line to pause at; the password comes on stdin (never on a command line or in
 * the environment). It pauses at that line (default: once the source is fenced), so the test can
 * kill it right there.
 */
public final class WindowChild {
    private WindowChild() {
    }

    public static void main(String[] args) throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ConnectionSpec source = ConnectionSpec.parse(args[0]).withPassword(Secret.of(password));
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(Secret.of(password));
        String pauseAt = args.length > 3 ? args[3] : "window: the source is fenced";
        MigrationSettings settings = args.length > 2
                ? new MigrationSettings(source, target, TestServers.copyOptions(TestServers.workDir(), true).withStrategy(Strategy.LOGICAL),
                        false, null, null, new LogicalSettings(args[2], 1 << 20, Duration.ofMinutes(5), Duration.ofMinutes(2), false))
                : new MigrationSettings(source, target, TestServers.copyOptions(TestServers.workDir(), false), false);
        new Migration(settings, line -> {
            System.out.println(line);
            System.out.flush();
            if (line.startsWith(pauseAt)) {
                sleep();
            }
        }, Clock.systemUTC()).migrate(false, Applications.switchWithoutApplications());
    }

    private static void sleep() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
