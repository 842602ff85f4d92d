package io.pgrelocate.controller;

import io.pgrelocate.engine.local.LocalPostgres;
import io.pgrelocate.engine.testing.TestServers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What the local-mode CLI tests share: the password file they pass, and one number read from a database. */
final class LocalServers {
    private LocalServers() {
    }

    /** A 0600 file in {@code dir} holding the test servers' password, made once. */
    static Path passwordFile(Path dir) throws IOException {
        Path file = dir.resolve("pw");
        if (!Files.exists(file)) {
            Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    TestServers.PASSWORD);
        }
        return file;
    }

    static long count(LocalPostgres pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The command with --source, --target, their password files and --migration. */
    static String[] args(LocalPostgres pg, Path dir, String command, String source, String target, String name, String... more) throws IOException {
        Path pw = passwordFile(dir);
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(command, "--source", pg.uri(source), "--source-password-file",
                pw.toString(), "--target", pg.uri(target), "--target-password-file", pw.toString(), "--migration", name));
        all.addAll(java.util.List.of(more));
        return all.toArray(String[]::new);
    }
}
