package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Large objects, which logical replication does not carry: {@link #copyAll} during the catch-up
 * (the applications still write), {@link #copyChanged} inside the window, once the source is fenced,
 * writing only those created or changed since and removing those unlinked since.
 * <p>
 * What changed is told by a version per object read before its content: the (page number, xmin) of
 * its rows in pg_largeobject. Every write to a large object inserts or updates rows of its pages (a new
 * xmin), every truncation deletes or rewrites some, so a version equal at the fence means the content
 * copied after it was read is still the source's. Reading versions scans the catalog's pages but hashes
 * no content. pg_largeobject is readable by superusers only: without that right the version is the
 * md5 of the content, as sound but proportional to the bytes. Either way the digests after the thaw
 * compare every object's content again.
 */
public final class LargeObjectSync {
    private static final String BY_PAGES = """
            SELECT m.oid::bigint, coalesce(p.version, 'empty') FROM pg_largeobject_metadata m
              LEFT JOIN (SELECT loid, md5(string_agg(pageno || ':' || xmin, ',' ORDER BY pageno)) AS version
                           FROM pg_catalog.pg_largeobject GROUP BY loid) p ON p.loid = m.oid""";
    private static final String BY_CONTENT = "SELECT oid::bigint, md5(lo_get(oid)) FROM pg_largeobject_metadata";

    /** What a sync did: how many the source has, how many were written to the target and removed from it. */
    public record Result(int total, int written, int removed) {
    }

    private Map<Long, String> copied = Map.of();

    /** Whether the versions are read from pg_largeobject's pages (no content hashed) on {@code source}. */
    public static boolean versionsFromPages(Db source) {
        return source.one("SELECT has_table_privilege('pg_catalog.pg_largeobject', 'SELECT')", rs -> rs.getBoolean(1));
    }

    /** Makes the target's large objects the source's: writes each missing or different one, removes the others. */
    public Result copyAll(Db source, Db target) {
        boolean byPages = versionsFromPages(source);
        // versions first, content after: a write in between shows as a changed version at the fence
        copied = byPages ? read(source, BY_PAGES) : null;
        Map<Long, String> src = contents(source);
        if (!byPages) {
            copied = src;  // the version is the content's md5: read it once
        }
        Map<Long, String> tgt = contents(target);
        Set<Long> differ = new HashSet<>();
        src.forEach((oid, md5) -> {
            if (!md5.equals(tgt.get(oid))) {
                differ.add(oid);
            }
        });
        return new Result(src.size(), write(differ, tgt.keySet(), source, target), remove(src.keySet(), tgt.keySet(), target));
    }

    /** With the source fenced: only what was created, written or unlinked since {@link #copyAll}. */
    public Result copyChanged(Db source, Db target) {
        Map<Long, String> now = versions(source);
        Set<Long> changed = new HashSet<>();
        now.forEach((oid, version) -> {
            if (!version.equals(copied.get(oid))) {
                changed.add(oid);
            }
        });
        Set<Long> onTarget = new HashSet<>(target.list("SELECT oid::bigint FROM pg_largeobject_metadata", rs -> rs.getLong(1)));
        return new Result(now.size(), write(changed, onTarget, source, target), remove(now.keySet(), onTarget, target));
    }

    private static int write(Set<Long> oids, Set<Long> onTarget, Db from, Db target) {
        for (Long oid : oids) {
            byte[] data = from.one("SELECT lo_get(?::oid)", rs -> rs.getBytes(1), oid);
            if (onTarget.contains(oid)) {
                target.one("SELECT lo_unlink(?::oid)", rs -> rs.getInt(1), oid);
            }
            target.one("SELECT lo_from_bytea(?::oid, ?)", rs -> rs.getLong(1), oid, data);
        }
        return oids.size();
    }

    private static int remove(Set<Long> onSource, Set<Long> onTarget, Db target) {
        int removed = 0;
        for (Long oid : onTarget) {
            if (!onSource.contains(oid)) {
                target.one("SELECT lo_unlink(?::oid)", rs -> rs.getInt(1), oid);
                removed++;
            }
        }
        return removed;
    }

    private static Map<Long, String> versions(Db db) {
        return read(db, versionsFromPages(db) ? BY_PAGES : BY_CONTENT);
    }

    private static Map<Long, String> contents(Db db) {
        return read(db, BY_CONTENT);
    }

    private static Map<Long, String> read(Db db, String sql) {
        Map<Long, String> map = new HashMap<>();
        db.list(sql, rs -> map.put(rs.getLong(1), rs.getString(2)));
        return map;
    }
}
