package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.settings.PgpassFile;
import io.pgrelocate.engine.testing.TestServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pgbench against a test database: {@code -i} to load, then the TPC-B-like load in the
 * background until {@link #close()}. The password reaches it through a 0600 pgpass file, deleted at the end.
 */
final class Pgbench implements AutoCloseable {
    static final String BIN = "/usr/lib/postgresql/15/bin/pgbench";

    private final LocalPostgres pg;
    private final String db;
    private final Path dir = TestServers.workDir();
    private Process load;

    Pgbench(LocalPostgres pg, String db) {
        this.pg = pg;
        this.db = db;
        try {
            PgpassFile.write(dir.resolve("pgpass"), List.of(TestServers.spec(pg, db)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder command(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(BIN, "-h", pg.host(), "-p", Integer.toString(pg.port()), "-U", pg.superuser()));
        cmd.addAll(List.of(args));
        cmd.add(db);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("pgbench.log").toFile());
        b.environment().put("PGPASSFILE", dir.resolve("pgpass").toString());
        return b;
    }

    void initialize(int scale) throws IOException, InterruptedException {
        Process p = command("-i", "-s", Integer.toString(scale), "-q").start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("pgbench -i failed: " + Files.readString(dir.resolve("pgbench.log")));
        }
    }

    void startLoad(int clients) throws IOException {
        load = command("-n", "-c", Integer.toString(clients), "-T", "3600", "-R", "200").start();
    }

    /** Stops the load (SIGTERM; transactions in flight roll back) and removes the pgpass file. */
    @Override
    public void close() throws Exception {
        if (load != null) {
            load.destroy();
            if (!load.waitFor(60, TimeUnit.SECONDS)) {
                load.destroyForcibly().waitFor();
            }
        }
        io.pgrelocate.engine.files.Directories.deleteRecursively(dir);
    }
}
