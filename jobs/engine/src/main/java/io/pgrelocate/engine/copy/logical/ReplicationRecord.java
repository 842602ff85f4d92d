package io.pgrelocate.engine.copy.logical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ObjectFilter;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code replicate} leaves on the target for {@code switch}, {@code status} and a rerun to find
 * with no pgrelocate process running: the run (when it started, where its slot began) and the
 * source's schema fingerprint taken before the slot, so DDL made since is named. One row per
 * migration in {@code pgrelocate.replication} on the target; teardown (switch, abort, rollback)
 * deletes it and drops the schema once empty. The switch deletes it inside the window, before the
 * verification compares the two databases, and writes it back when the window is undone.
 */
public record ReplicationRecord(String migration, Instant started, String slotStart, SchemaFingerprint sourceSchema, Set<String> excludedSchemas) {
    static final String SCHEMA = "pgrelocate";
    static final String TABLE = SCHEMA + ".replication";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReplicationRecord {
        excludedSchemas = Set.copyOf(excludedSchemas);
    }

    /** The schemas the fingerprint left out, so that status and switch fingerprint the source as replicate did. */
    public ObjectFilter schemaFilter() {
        return new ObjectFilter(excludedSchemas, Set.of());
    }

    /** What the jsonb column holds. */
    private record Stored(TreeMap<String, String> digests, List<String> excludedSchemas) {
    }

    /** How the switch's report names the run it continues. */
    public String run() {
        return "replicate run of " + started + " (slot " + LogicalNames.PREFIX + migration.replace('-', '_') + " from " + slotStart + ")";
    }

    void write(Db target) {
        target.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        target.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                + " (migration text PRIMARY KEY, started timestamptz NOT NULL, slot_start text NOT NULL, source_schema jsonb NOT NULL)");
        target.one("INSERT INTO " + TABLE + " VALUES (?, ?::timestamptz, ?, ?::jsonb) ON CONFLICT (migration) DO UPDATE"
                        + " SET started = excluded.started, slot_start = excluded.slot_start, source_schema = excluded.source_schema RETURNING 1",
                rs -> null, migration, started.toString(), slotStart, json());
    }

    static Optional<ReplicationRecord> read(Db target, LogicalNames names) {
        if (!exists(target)) {
            return Optional.empty();
        }
        return target.list("SELECT started::text, extract(epoch FROM started)::float8, slot_start, source_schema::text FROM " + TABLE
                        + " WHERE migration = ?",
                rs -> stored(names.migration(), Instant.ofEpochMilli((long) (rs.getDouble(2) * 1000)), rs.getString(3), rs.getString(4)),
                names.migration()).stream().findFirst();
    }

    /** Deletes the migration's row, and the schema when no other migration's row is left; whether there was a row. */
    static boolean drop(Db target, LogicalNames names) {
        // a bulk copy's ledger too (a replicate stopped during it has no record yet)
        boolean had = BulkCopyLedger.forget(target, names);
        if (exists(target)) {
            had |= target.longValue("WITH d AS (DELETE FROM " + TABLE + " WHERE migration = ? RETURNING 1) SELECT count(*) FROM d",
                    names.migration()) > 0;
        }
        if (target.longValue("SELECT count(*) FROM pg_namespace WHERE nspname = ?", SCHEMA) > 0
                && (!exists(target) || target.longValue("SELECT count(*) FROM " + TABLE) == 0) && BulkCopyLedger.rows(target) == 0) {
            target.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        }
        return had;
    }

    private static boolean exists(Db target) {
        return target.longValue("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = 'replication'", SCHEMA) > 0;
    }

    String json() {
        try {
            return JSON.writeValueAsString(new Stored(new TreeMap<>(sourceSchema.digests()), excludedSchemas.stream().sorted().toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ReplicationRecord stored(String migration, Instant started, String slotStart, String json) {
        try {
            Stored s = JSON.readValue(json, Stored.class);
            return new ReplicationRecord(migration, started, slotStart, new SchemaFingerprint(s.digests()), Set.copyOf(s.excludedSchemas()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("pgrelocate.replication holds no readable schema fingerprint: " + e.getMessage(), e);
        }
    }
}
