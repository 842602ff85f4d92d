package io.pgrelocate.engine.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes libpq's pgpass format: {@code host:port:database:user:password}, ':' and '\' escaped. */
public final class PgpassFile {
    private PgpassFile() {
    }

    static Optional<String> lookup(List<String> lines, ConnectionSpec spec) {
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = split(line);
            if (f.size() == 5 && matches(f.get(0), spec.host()) && matches(f.get(1), Integer.toString(spec.port()))
                    && matches(f.get(2), spec.database()) && matches(f.get(3), spec.user())) {
                return Optional.of(f.get(4));
            }
        }
        return Optional.empty();
    }

    /** Writes a 0600 pgpass file with one exact line per connection that has a password. */
    public static Path write(Path file, List<ConnectionSpec> specs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ConnectionSpec s : specs) {
            if (s.password() != null) {
                sb.append(escape(s.host())).append(':').append(s.port()).append(':')
                        .append(escape(s.database())).append(':').append(escape(s.user())).append(':')
                        .append(escape(s.password().reveal())).append('\n');
            }
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        return fields;
    }
}
