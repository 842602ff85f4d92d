package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.process.ToolResult;
import io.pgrelocate.engine.process.ToolRunner;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hot standby of a local server, what CNPG's {@code <cluster>-ro} Service points at: a copy made
 * with {@code pg_basebackup -R} that streams from the primary and refuses writes
 * ({@code pg_is_in_recovery()} is true). Stopped and deleted by {@link #close()}.
 */
public final class HotStandby implements AutoCloseable {
    private final LocalPostgres primary;
    private final Path base;
    private final int port;

    private HotStandby(LocalPostgres primary, Path base, int port) {
        this.primary = primary;
        this.base = base;
        this.port = port;
    }

    public static HotStandby of(LocalPostgres primary) {
        Path base = ServerUser.directory("pgr-sb-");
        try {
            Path pgpass = Files.writeString(base.resolve("pgpass"), primary.host() + ":" + primary.port() + ":*:"
                    + primary.superuser() + ":" + TestServers.PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
            Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
            ServerUser.give(pgpass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path data = base.resolve("data");
        // -R writes standby.signal and a primary_conninfo that names this pgpass file.
        run(primary, base, "pg_basebackup", "-h", primary.host(), "-p", Integer.toString(primary.port()), "-U", primary.superuser(),
                "-D", data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
        int port = freePort();
        run(primary, base, "pg_ctl", "start", "-D", data.toString(), "-w", "-t", "60", "-l", base.resolve("server.log").toString(),
                "-o", "-p " + port + " -k '" + base + "' -c listen_addresses=" + primary.host());
        return new HotStandby(primary, base, port);
    }

    /** The superuser on {@code database} of the standby, without TLS. */
    public ConnectionSpec spec(String database) {
        return ConnectionSpec.parse("postgresql://" + primary.superuser() + "@" + primary.host() + ":" + port + "/" + database
                + "?sslmode=disable").withPassword(Secret.of(TestServers.PASSWORD));
    }

    @Override
    public void close() {
        run(primary, base, "pg_ctl", "stop", "-D", base.resolve("data").toString(), "-m", "immediate", "-w");
        Directories.deleteRecursively(base);
    }

    /** Runs one of the primary's tools (pg_basebackup is installed beside pg_ctl) as the server user. */
    private static void run(LocalPostgres primary, Path base, String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(primary.binaries().tool(tool).toString()));
        cmd.addAll(List.of(args));
        ToolResult r = new ToolRunner(Map.of("PGPASSFILE", base.resolve("pgpass").toString()), base).run(ServerUser.command(cmd));
        if (!r.ok()) {
            throw new IllegalStateException("standby: " + r.summary());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
