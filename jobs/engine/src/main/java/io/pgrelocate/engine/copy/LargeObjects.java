package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Large objects with their OIDs, owners (when ownership is kept) and comments, in batches that the
 * copy workers share. Content goes in 1 MiB chunks (lo_get/lo_put), read inside the snapshot.
 */
final class LargeObjects {
    private static final int CHUNK = 1 << 20;

    record LargeObject(long oid, String owner, String comment) {
    }

    /** One worker's share of the large objects. */
    record Batch(List<LargeObject> objects, boolean keepOwnership, int index, int of) implements CopyWorkers.Task {
        @Override
        public String label() {
            return "large objects (batch " + index + "/" + of + ")";
        }

        @Override
        public void run(Db source, Db target) throws SQLException {
            for (LargeObject lo : objects) {
                copy(lo, source, target);
            }
        }

        private void copy(LargeObject lo, Db source, Db target) throws SQLException {
            target.execute("SELECT pg_catalog.lo_create(" + lo.oid + ")");
            try (PreparedStatement get = source.connection().prepareStatement("SELECT pg_catalog.lo_get(?::oid, ?, " + CHUNK + ")");
                 PreparedStatement put = target.connection().prepareStatement("SELECT pg_catalog.lo_put(?::oid, ?, ?)")) {
                for (long offset = 0; ; offset += CHUNK) {
                    get.setLong(1, lo.oid);
                    get.setLong(2, offset);
                    byte[] chunk;
                    try (var rs = get.executeQuery()) {
                        rs.next();
                        chunk = rs.getBytes(1);
                    }
                    if (chunk.length > 0) {
                        put.setLong(1, lo.oid);
                        put.setLong(2, offset);
                        put.setBytes(3, chunk);
                        put.execute();
                    }
                    if (chunk.length < CHUNK) {
                        break;
                    }
                }
            }
            if (keepOwnership) {
                target.execute("ALTER LARGE OBJECT " + lo.oid + " OWNER TO " + Db.quoteIdent(lo.owner));
            }
            if (lo.comment != null) {
                target.execute("COMMENT ON LARGE OBJECT " + lo.oid + " IS " + literal(lo.comment));
            }
        }
    }

    private LargeObjects() {
    }

    static List<LargeObject> list(Db source) {
        return source.list("""
                SELECT oid::int8, pg_catalog.pg_get_userbyid(lomowner), pg_catalog.obj_description(oid, 'pg_largeobject')
                  FROM pg_catalog.pg_largeobject_metadata ORDER BY oid
                """, rs -> new LargeObject(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    /** Round-robin into at most {@code jobs} batches. */
    static List<Batch> batches(List<LargeObject> all, int jobs, boolean keepOwnership) {
        int n = Math.min(jobs, all.size());
        List<List<LargeObject>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            parts.get(i % n).add(all.get(i));
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batches.add(new Batch(parts.get(i), keepOwnership, i + 1, n));
        }
        return batches;
    }

    /** A standard-conforming string literal. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
