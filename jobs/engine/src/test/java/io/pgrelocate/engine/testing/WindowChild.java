package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.switchover.Applications;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A local {@code migrate --switchover} in a JVM of its own, for tests that kill it: args are the
 * source and target URIs without password, the password comes on stdin (never on a command line or
 * in the environment). It pauses once the source is fenced, so the test can kill it right there.
 */
public final class WindowChild {
    private WindowChild() {
    }

    public static void main(String[] args) throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ConnectionSpec source = ConnectionSpec.parse(args[0]).withPassword(Secret.of(password));
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(Secret.of(password));
        MigrationSettings settings = new MigrationSettings(source, target, TestServers.copyOptions(TestServers.workDir(), false), false);
        new Migration(settings, line -> {
            System.out.println(line);
            System.out.flush();
            if (line.startsWith("window: the source is fenced")) {
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
