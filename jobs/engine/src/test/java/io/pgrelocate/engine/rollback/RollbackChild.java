package io.pgrelocate.engine.rollback;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.runbook.Rollback;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A local {@code rollback --source --target} in a JVM of its own, for tests that kill it: args are
 * the source and target URIs without password, the migration's name and the start of the log line
 * to pause at (so the test kills it right there); the password comes on stdin.
 */
public final class RollbackChild {
    private RollbackChild() {
    }

    public static void main(String[] args) throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        ConnectionSpec source = ConnectionSpec.parse(args[0]).withPassword(Secret.of(password));
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(Secret.of(password));
        try (Db db = Db.connect(source)) {
            new Rollback(line -> {
                System.out.println(line);
                System.out.flush();
                if (line.startsWith(args[3])) {
                    sleep();
                }
            }, Clock.systemUTC(), target).sourceOnly(db, args[2], false);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
