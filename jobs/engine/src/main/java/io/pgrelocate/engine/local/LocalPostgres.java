package io.pgrelocate.engine.local;

import io.pgrelocate.engine.files.Directories;

import io.pgrelocate.engine.process.ToolResult;
import io.pgrelocate.engine.process.ToolRunner;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** A throwaway PostgreSQL server on a free loopback port, deleted again by {@link #close()}. */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalPostgres.class);

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    // initdb and postgres refuse to run as root; as root we run them as this OS user.
    private static final String SERVER_OS_USER = "postgres";
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 25;
    private static final int MAX_SOCKET_PATH = 107;

    private final PgBinaries binaries;
    private final Path baseDir;
    private final Path dataDir;
    private final String password;
    private final int major;
    private final boolean asServerUser;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalPostgres(PgBinaries binaries, Path baseDir, String password, int major, boolean asServerUser, int port) {
        this.binaries = binaries;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.password = password;
        this.major = major;
        this.asServerUser = asServerUser;
        this.port = port;
        // A JVM that exits without close() must not leave a postmaster behind.
        this.shutdownHook = new Thread(this::close, "pgrelocate-local-postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Initialises and starts a server in a new directory under java.io.tmpdir. */
    public static LocalPostgres start(PgBinaries binaries, String superuserPassword) {
        return start(binaries, superuserPassword, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Initialises and starts a server in a new directory under {@code parentDir}; keep it short (the socket lives there). */
    public static LocalPostgres start(PgBinaries binaries, String superuserPassword, Path parentDir) {
        return start(binaries, superuserPassword, parentDir, Map.of());
    }

    /**
     * Initialises and starts a server with extra {@code -c name=value} settings, e.g.
     * {@code wal_level=logical} (a setting that needs a restart, so it cannot come later).
     */
    public static LocalPostgres start(PgBinaries binaries, String superuserPassword, Map<String, String> settings) {
        return start(binaries, superuserPassword, Path.of(System.getProperty("java.io.tmpdir")), settings);
    }

    private static LocalPostgres start(PgBinaries binaries, String superuserPassword, Path parentDir, Map<String, String> settings) {
        settings.forEach((name, value) -> {
            if (!name.matches("[a-z_.]+") || !value.matches("[A-Za-z0-9_.]+")) {
                throw new IllegalArgumentException("unsupported server setting " + name + "=" + value);
            }
        });
        if (superuserPassword == null || superuserPassword.isEmpty()
                || superuserPassword.indexOf('\n') >= 0 || superuserPassword.indexOf('\r') >= 0) {
            // initdb reads the first line of the pwfile only.
            throw new IllegalArgumentException("superuser password must be non-empty and a single line");
        }
        int major = binaries.major();
        boolean asServerUser = runningAsRoot();
        Path base;
        try {
            Files.createDirectories(parentDir);
            base = Files.createTempDirectory(parentDir.toAbsolutePath(), "pgr-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a local PostgreSQL under " + parentDir, e);
        }
        if (base.toString().indexOf('\'') >= 0) {
            Directories.deleteRecursively(base);
            throw new IllegalArgumentException("directory for a local PostgreSQL must not contain a quote: " + base);
        }
        // The server's Unix socket lives in the base dir and the kernel caps its path at 107 bytes.
        if ((base + "/.s.PGSQL.65535").getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            Directories.deleteRecursively(base);
            throw new IllegalArgumentException("directory for a local PostgreSQL is too long for a Unix socket path: " + base);
        }
        try {
            initdb(binaries, base, superuserPassword, asServerUser);
            int port = startServer(binaries, base, asServerUser, settings);
            LOG.infof("started PostgreSQL %d on %s:%d (%s)", major, HOST, port, base);
            return new LocalPostgres(binaries, base, superuserPassword, major, asServerUser, port);
        } catch (RuntimeException e) {
            Directories.deleteRecursively(base);
            throw e;
        }
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** The address the server listens on: always "127.0.0.1". */
    public String host() {
        return HOST;
    }

    /** The server's major version. */
    public int major() {
        return major;
    }

    /** The superuser role name: "postgres". */
    public String superuser() {
        return SUPERUSER;
    }

    /** The binaries this server runs. */
    public PgBinaries binaries() {
        return binaries;
    }

    /** The server log (gone after {@link #close()}). */
    public Path logFile() {
        return baseDir.resolve("server.log");
    }

    /** Creates a database owned by the superuser. */
    public void createDatabase(String name) {
        executeSql("postgres", "CREATE DATABASE " + quoteIdent(name));
    }

    /** Creates a database owned by an existing role. */
    public void createDatabase(String name, String owner) {
        executeSql("postgres", "CREATE DATABASE " + quoteIdent(name) + " OWNER " + quoteIdent(owner));
    }

    /** Runs SQL (may hold several statements) as the superuser in one Statement.execute. */
    public void executeSql(String database, String sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on local PostgreSQL " + HOST + ":" + port + "/" + database
                    + ": " + e.getMessage(), e);
        }
    }

    /** A libpq URI for the superuser, without the password. */
    public String uri(String database) {
        return "postgresql://" + SUPERUSER + "@" + HOST + ":" + port + "/" + percentEncode(database) + "?sslmode=disable";
    }

    /** A new JDBC connection as the superuser; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        props.setProperty("sslmode", "disable");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port + "/" + percentEncode(database), props);
    }

    /** Restarts the server with the same settings (fast shutdown: every session ends), as an operator's restart would. */
    public void restart() {
        ToolResult r = pgCtl(binaries, baseDir, asServerUser, "restart", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60",
                "-l", logFile().toString());
        if (!r.ok()) {
            throw new IllegalStateException("local PostgreSQL on port " + port + " did not restart: " + r.summary());
        }
    }

    /** Stops the server (fast shutdown) and deletes its directory; best effort, never throws. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            ToolResult stop = pgCtl(binaries, baseDir, asServerUser, "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60");
            if (!stop.ok()) {
                LOG.warnf("stopping local PostgreSQL on port %d: %s", port, stop.summary());
                pgCtl(binaries, baseDir, asServerUser, "stop", "-D", dataDir.toString(), "-m", "immediate", "-w");
            }
        } catch (RuntimeException e) {
            LOG.warnf("stopping local PostgreSQL on port %d: %s", port, e.getMessage());
        }
        Directories.deleteRecursively(baseDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: we are probably running in that very hook.
        }
    }

    @Override
    public String toString() {
        return "LocalPostgres[PostgreSQL " + major + " on " + HOST + ":" + port + "]";
    }

    // --- setup ------------------------------------------------------------------------------

    private static void initdb(PgBinaries binaries, Path base, String password, boolean asServerUser) {
        Path pwfile = base.resolve("pwfile");
        try {
            // The server user must traverse the base dir; other users see only the 0700 data dir inside.
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Created 0600 from the start so the password is never readable by others.
            Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (asServerUser) {
                UserPrincipal owner = serverOsUser();
                Files.setOwner(base, owner);
                Files.setOwner(pwfile, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + base, e);
        }
        try {
            ToolResult result = run(base, asServerUser, List.of(binaries.tool("initdb").toString(),
                    "-D", base.resolve("data").toString(), "-U", SUPERUSER, "--auth=scram-sha-256",
                    "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-sync"));
            if (!result.ok()) {
                throw new IllegalStateException("initdb failed for a local PostgreSQL in " + base + ": " + result.summary());
            }
        } finally {
            // The password is needed only by initdb; do not leave it on disk.
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                LOG.debugf("cannot delete %s: %s", pwfile, e.getMessage());
            }
        }
    }

    /** Starts on a free port, trying a few ports since another process may grab ours in between. */
    private static int startServer(PgBinaries binaries, Path base, boolean asServerUser, Map<String, String> settings) {
        Path data = base.resolve("data");
        Path log = base.resolve("server.log");
        String lastFailure = "";
        int port = -1;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = freePort();
            String options = "-p " + port + " -k '" + base + "' -c listen_addresses=" + HOST
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40"
                    + settings.entrySet().stream().map(e -> " -c " + e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining());
            ToolResult result = pgCtl(binaries, base, asServerUser,
                    "start", "-D", data.toString(), "-w", "-t", "60", "-l", log.toString(), "-o", options);
            if (result.ok()) {
                return port;
            }
            lastFailure = result.summary();
            LOG.debugf("local PostgreSQL did not start on port %d (attempt %d): %s", port, attempt, lastFailure);
            // A server that timed out may still be coming up; make sure it is gone before retrying.
            pgCtl(binaries, base, asServerUser, "stop", "-D", data.toString(), "-m", "immediate", "-w");
        }
        throw new IllegalStateException("local PostgreSQL did not start (last port " + port + "): " + lastFailure
                + "\n--- " + log + " (tail) ---\n" + tail(log));
    }

    private static ToolResult pgCtl(PgBinaries binaries, Path base, boolean asServerUser, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binaries.tool("pg_ctl").toString());
        command.addAll(List.of(args));
        return run(base, asServerUser, command);
    }

    private static ToolResult run(Path base, boolean asServerUser, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asServerUser) {
            full.addAll(List.of(runuser(), "-u", SERVER_OS_USER, "--"));
        }
        full.addAll(command);
        // Work in the base dir: the server user may not be allowed into the JVM's working directory.
        return new ToolRunner(Map.of(), base).run(full, line -> LOG.debug(line));
    }

    private static String runuser() {
        for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "runuser";
    }

    private static UserPrincipal serverOsUser() throws IOException {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_OS_USER);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("running as root, a local PostgreSQL needs an OS user '" + SERVER_OS_USER
                    + "' to run as (initdb and postgres refuse root); none exists", e);
        }
    }

    private static boolean runningAsRoot() {
        if ("root".equals(System.getProperty("user.name"))) {
            return true;
        }
        try {
            // /proc/self belongs to the process's effective uid.
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static int freePort() {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                int port = socket.getLocalPort();
                // Never 5432: a mistake there could hit a real server.
                if (port != 5432) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("cannot find a free port on " + HOST);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String quoteIdent(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters; both libpq and pgjdbc decode it. */
    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
