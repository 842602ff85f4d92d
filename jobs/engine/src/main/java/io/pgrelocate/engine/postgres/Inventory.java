package io.pgrelocate.engine.postgres;

import java.util.List;

/** What a database holds, read once by preflight and reused by the copy and the report. */
public record Inventory(ServerVersion version, long databaseBytes, List<TableInfo> tables,
                        List<ExtensionInfo> extensions, List<RoleInfo> roles, long largeObjects,
                        long largeObjectBytes) {

    public static Inventory read(Introspector in) {
        return read(in, List.of());
    }

    /** With the roles the database needs and the {@code namedRoles} (the applications' logins). */
    public static Inventory read(Introspector in, List<String> namedRoles) {
        return new Inventory(in.version(), in.databaseBytes(), in.tables(), in.installedExtensions(),
                in.roles(namedRoles), in.largeObjectCount(), in.largeObjectBytes());
    }

    /** Bytes of table data (no indexes) plus large objects: an upper bound for an uncompressed dump. */
    public long estimatedDumpBytes() {
        return tables.stream().filter(t -> !t.materializedView()).mapToLong(TableInfo::bytes).sum() + largeObjectBytes;
    }
}
