package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.runbook.Migration;
import io.pgrelocate.engine.runbook.MigrationSettings;
import io.pgrelocate.engine.copy.CopyOptions;
import io.pgrelocate.engine.copy.PgTools;
import io.pgrelocate.engine.copy.Strategy;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.report.MigrationReport;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.ObjectFilter;
import io.pgrelocate.engine.settings.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL servers shared by all tests of one JVM (started once, stopped at exit), and the
 * few helpers tests need around them. Each test works in databases of its own.
 */
public final class TestServers {
    public static final String PASSWORD = "s3cr3t-Pa55:word";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static LocalPostgres pg15;
    private static LocalPostgres pg14;
    private static LocalPostgres pg15Logical;

    private TestServers() {
    }

    /** Debian's PostgreSQL 15. */
    public static synchronized LocalPostgres pg15() {
        if (pg15 == null) {
            pg15 = LocalPostgres.start(PgBinaries.system(15), PASSWORD);
        }
        return pg15;
    }

    /** Debian's PostgreSQL 15 with wal_level=logical, a source for the logical strategy; it takes PREPARE TRANSACTION too. */
    public static synchronized LocalPostgres pg15Logical() {
        if (pg15Logical == null) {
            pg15Logical = LocalPostgres.start(PgBinaries.system(15), PASSWORD, Map.of("wal_level", "logical", "max_prepared_transactions", "10",
                    // every logical switch leaves its reverse stream (slot, WAL sender, apply worker) until finish: room for a whole suite
                    "max_replication_slots", "64", "max_wal_senders", "64", "max_worker_processes", "72", "max_logical_replication_workers", "64"));
        }
        return pg15Logical;
    }

    /** PostgreSQL 14 from the zonky embedded binaries. */
    public static synchronized LocalPostgres pg14() {
        if (pg14 == null) {
            pg14 = LocalPostgres.start(PgBinaries.embedded(), PASSWORD);
        }
        return pg14;
    }

    /** A new, empty database on the server, with a unique name starting with {@code prefix}. */
    public static String freshDatabase(LocalPostgres pg, String prefix) {
        String name = prefix + "_" + COUNTER.incrementAndGet();
        pg.createDatabase(name);
        return name;
    }

    /** A JDBC URL without user or password, for sessions of other roles than the superuser. */
    public static String jdbcUrl(LocalPostgres pg, String database) {
        return "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + database;
    }

    /** A new login role (an application, a CronJob…) with a unique name starting with {@code prefix}. */
    public static String loginRole(LocalPostgres pg, String prefix, String password) {
        String name = prefix + "_" + COUNTER.incrementAndGet();
        pg.executeSql("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        return name;
    }

    public static ConnectionSpec spec(LocalPostgres pg, String database) {
        return ConnectionSpec.parse(pg.uri(database)).withPassword(Secret.of(PASSWORD));
    }

    public static String resource(String path) {
        try (InputStream in = TestServers.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path workDir() {
        try {
            return Files.createTempDirectory("pgrelocate-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CopyOptions copyOptions(Path workDir, boolean keepOwnership) {
        return new CopyOptions(2, workDir, 0, keepOwnership, ObjectFilter.SPILO_DEFAULT, PgTools.locate(null), true);
    }

    public static MigrationReport migrate(ConnectionSpec source, ConnectionSpec target, boolean keepOwnership) {
        return migrate(source, target, keepOwnership, Strategy.DUMP);
    }

    public static MigrationReport migrate(ConnectionSpec source, ConnectionSpec target, boolean keepOwnership, Strategy strategy) {
        MigrationSettings settings = new MigrationSettings(source, target, copyOptions(workDir(), keepOwnership).withStrategy(strategy), false);
        MigrationReport report = new Migration(settings, System.out::println, Clock.systemUTC()).migrate(false);
        if (report.exitCode() != ExitCode.OK.code()) {
            System.out.println(io.pgrelocate.engine.report.Summary.of(report));
        }
        return report;
    }
}
