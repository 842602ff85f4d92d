package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.mysql.MysqlMigration;
import io.pgrelocate.engine.mysql.MysqlMigrationSettings;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TypeOverrides;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;
import io.pgrelocate.engine.switchover.Applications;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * A MySQL migrate in a JVM of its own, for tests that kill it: args are the source and target URIs
 * without password, which comes on stdin, and optionally {@code switchover} (the window, fenced, no
 * applications). It pauses after the first table is copied.
 */
public final class MysqlCopyChild {
    private MysqlCopyChild() {
    }

    public static void main(String[] args) throws Exception {
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        MysqlSource s = MysqlUri.parse(args[0]);
        MysqlSource source = new MysqlSource(s.connection().withPassword(Secret.of(password)), s.flavour());
        ConnectionSpec target = ConnectionSpec.parse(args[1]).withPassword(Secret.of(password));
        new MysqlMigration(new MysqlMigrationSettings(source, target, "app", 1, false, PgNames.Case.LOWER, TypeOverrides.NONE), line -> {
            System.out.println(line);
            System.out.flush();
            if (line.startsWith("copied ")) {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Clock.systemUTC()).migrate(false, args.length > 2 && args[2].equals("switchover")
                ? Applications.switchWithoutApplications() : Applications.NONE);
    }
}
