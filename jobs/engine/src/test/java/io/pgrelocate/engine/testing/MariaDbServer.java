package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.mysql.MysqlSource;
import io.pgrelocate.engine.mysql.MysqlUri;
import io.pgrelocate.engine.settings.Secret;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB server (Debian's mariadb-server binaries) for the tests of one JVM: a fresh
 * datadir, a free loopback port, run as the package's {@code mysql} OS user when we are root, and
 * stopped at JVM exit. Never the packaged service on 3306.
 */
public final class MariaDbServer {
    public static final String ADMIN = "pgr_admin";
    private static final String HOST = "127.0.0.1";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final boolean AS_ROOT = "root".equals(System.getProperty("user.name"));
    private static MariaDbServer shared;

    private final Path base;
    private final int port;
    private final Process process;

    private MariaDbServer(Path base, int port, Process process) {
        this.base = base;
        this.port = port;
        this.process = process;
    }

    /** The server shared by every test of this JVM. */
    public static synchronized MariaDbServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "pgrelocate-test-mariadb-stop"));
        }
        return shared;
    }

    private static MariaDbServer start() {
        try {
            Path base = Files.createTempDirectory(Path.of("/tmp"), "pgr-maria-");
            Path data = base.resolve("data");
            Files.createDirectories(data);
            Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            chown(base);
            chown(data);
            run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--skip-test-db",
                    "--auth-root-authentication-method=socket", "--auth-root-socket-user=" + System.getProperty("user.name")),
                    base.resolve("install.log"));
            int port = freePort();
            List<String> cmd = asServerUser(List.of("mariadbd", "--no-defaults", "--datadir=" + data,
                    "--socket=" + base.resolve("s.sock"), "--port=" + port, "--bind-address=" + HOST,
                    "--pid-file=" + base.resolve("m.pid"), "--skip-name-resolve", "--log-error=" + base.resolve("error.log"),
                    "--character-set-server=utf8mb4", "--innodb-buffer-pool-size=128M", "--max-allowed-packet=256M"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(base.resolve("server.out").toFile()).start();
            waitForPort(port, p, base);
            MariaDbServer server = new MariaDbServer(base, port, p);
            server.socketSql("CREATE USER '" + ADMIN + "'@'%' IDENTIFIED BY '" + TestServers.PASSWORD + "';\n"
                    + "GRANT ALL ON *.* TO '" + ADMIN + "'@'%' WITH GRANT OPTION;\n");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQL through the Unix socket as root (socket authentication): the password reaches the client on stdin only. */
    private void socketSql(String sql) {
        try {
            Process client = new ProcessBuilder("mariadb", "--no-defaults", "--socket=" + base.resolve("s.sock"), "-u", "root")
                    .redirectErrorStream(true).redirectOutput(base.resolve("client.log").toFile()).start();
            try (OutputStream in = client.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            if (!client.waitFor(60, TimeUnit.SECONDS) || client.exitValue() != 0) {
                throw new IllegalStateException("mariadb client failed: " + Files.readString(base.resolve("client.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** A new database with a unique name starting with {@code prefix}. */
    public String freshDatabase(String prefix) {
        String name = prefix + "_" + COUNTER.incrementAndGet();
        execute(null, "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        return name;
    }

    /** Runs statements (separated by ";\n") as the admin user, in {@code database} when given. */
    public void execute(String database, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + HOST + ":" + port + "/" + (database == null ? "" : database)
                + "?allowMultiQueries=true", ADMIN, TestServers.PASSWORD); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB SQL failed: " + e.getMessage(), e);
        }
    }

    /** The admin's connection to {@code database}, password set. */
    public MysqlSource source(String database) {
        MysqlSource s = MysqlUri.parse("mariadb://" + ADMIN + "@" + HOST + ":" + port + "/" + database);
        return new MysqlSource(s.connection().withPassword(Secret.of(TestServers.PASSWORD)), s.flavour());
    }

    /** A user that may only read {@code database}. */
    public MysqlSource reader(String database, String user, String password) {
        execute(null, "CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY '" + password + "';\n"
                + "GRANT SELECT, SHOW VIEW ON `" + database + "`.* TO '" + user + "'@'%'");
        MysqlSource s = MysqlUri.parse("mysql://" + user + "@" + HOST + ":" + port + "/" + database);
        return new MysqlSource(s.connection().withPassword(Secret.of(password)), s.flavour());
    }

    private synchronized void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Directories.deleteRecursively(base);
    }

    private static void waitForPort(int port, Process p, Path base) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("mariadbd exited: " + tail(base.resolve("error.log")));
            }
            try (Socket s = new Socket(HOST, port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("mariadbd did not listen on " + port + " within 120 s: " + tail(base.resolve("error.log")));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(asServerUser(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> asServerUser(List<String> command) {
        List<String> full = new ArrayList<>(AS_ROOT ? List.of("runuser", "-u", "mysql", "--") : List.of());
        full.addAll(command);
        return full;
    }

    private static void chown(Path path) throws IOException {
        if (AS_ROOT) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
