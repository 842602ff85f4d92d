package io.pgrelocate.engine.testing;

import io.pgrelocate.engine.files.Directories;
import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.local.PgBinaries;
import io.pgrelocate.engine.process.ToolResult;
import io.pgrelocate.engine.process.ToolRunner;
import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL 15 server with {@code ssl=on}, its certificate signed by a CA made for this JVM with
 * the openssl CLI, for the host 127.0.0.1. A second, unrelated CA is there to be the wrong one.
 * Plain connections are still accepted (pg_hba "host" lines match both), as on a server whose
 * TLS is optional.
 */
public final class TlsServer {
    private static TlsServer instance;

    private final LocalPostgres server;
    private final Path caCert;
    private final Path wrongCaCert;

    private TlsServer(LocalPostgres server, Path caCert, Path wrongCaCert) {
        this.server = server;
        this.caCert = caCert;
        this.wrongCaCert = wrongCaCert;
    }

    public static synchronized TlsServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public static boolean opensslAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/openssl"));
    }

    public LocalPostgres server() {
        return server;
    }

    /** The CA that signed the server's certificate. */
    public Path caCert() {
        return caCert;
    }

    /** A CA that signed nothing the server has. */
    public Path wrongCaCert() {
        return wrongCaCert;
    }

    /** The superuser on {@code database} with the given sslmode (and root certificate, for verify-*). */
    public ConnectionSpec spec(String database, String sslMode, Path rootCert) {
        String uri = "postgresql://" + server.superuser() + "@" + server.host() + ":" + server.port() + "/" + database
                + "?sslmode=" + sslMode + (rootCert == null ? "" : "&sslrootcert=" + rootCert);
        return ConnectionSpec.parse(uri).withPassword(Secret.of(TestServers.PASSWORD));
    }

    private static TlsServer start() {
        Path dir = ServerUser.directory("pgr-tls-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Directories.deleteRecursively(dir)));
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=pgrelocate test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "wrong-ca.key", "-out", "wrong-ca.crt", "-days", "2", "-subj", "/CN=some other CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        write(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        try {
            // postgres refuses a key file that others can read.
            Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
            ServerUser.give(dir.resolve("server.key"));
            ServerUser.give(dir.resolve("server.crt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalPostgres pg = LocalPostgres.start(PgBinaries.system(15), TestServers.PASSWORD);
        // ALTER SYSTEM cannot run in the implicit transaction of a multi-statement string: one at a time.
        pg.executeSql("postgres", "ALTER SYSTEM SET ssl_cert_file = '" + dir.resolve("server.crt") + "'");
        pg.executeSql("postgres", "ALTER SYSTEM SET ssl_key_file = '" + dir.resolve("server.key") + "'");
        pg.executeSql("postgres", "ALTER SYSTEM SET ssl = on");
        pg.executeSql("postgres", "SELECT pg_reload_conf()");
        awaitSsl(pg);
        return new TlsServer(pg, dir.resolve("ca.crt"), dir.resolve("wrong-ca.crt"));
    }

    /** pg_reload_conf only signals the postmaster; new sessions see ssl=on a moment later. */
    private static void awaitSsl(LocalPostgres pg) {
        for (int i = 0; i < 50; i++) {
            try (var c = pg.connect("postgres"); var st = c.createStatement(); var rs = st.executeQuery("SHOW ssl")) {
                rs.next();
                if (rs.getString(1).equals("on")) {
                    return;
                }
                Thread.sleep(100);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot ask the TLS test server about ssl: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the TLS test server did not turn ssl on; see " + pg.logFile());
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        ToolResult r = new ToolRunner(Map.of(), dir).run(cmd);
        if (!r.ok()) {
            throw new IllegalStateException("openssl failed: " + r.summary());
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
