package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.common.Ranges;
import io.pgrelocate.engine.common.Threads;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.postgres.TableInfo;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Row counts and content digests of many tables on N sessions of one database, biggest first. The
 * digest is a sum over rows, so a big table is cut into ctid page ranges (PostgreSQL 14+) digested
 * by several sessions and the parts added: the result is the same as one query over the table.
 */
final class TableDigests {
    /**
     * Two 64-bit hashes of each row's text, summed. hashtextextended is the hash behind hash
     * partitioning, so it is stable across majors; it is about 3x faster than md5 with hex parsing.
     */
    private static final String DIGEST_SQL = """
            SELECT count(*), coalesce(sum(hashtextextended(r, 0)::numeric), 0)::text,
                             coalesce(sum(hashtextextended(r, 1)::numeric), 0)::text
              FROM (SELECT t::text AS r FROM %s AS t%s) rows
            """;
    private static final long SPLIT_BYTES = 64L << 20;
    private static final int PIECES_PER_JOB = 4;

    private record Piece(TableInfo table, String where, long bytes) {
    }

    /** Running sums of one table's pieces. */
    private static final class Sums {
        long rows;
        BigInteger h0 = BigInteger.ZERO;
        BigInteger h1 = BigInteger.ZERO;
        int piecesLeft;

        Sums(int pieces) {
            piecesLeft = pieces;
        }
    }

    private TableDigests() {
    }

    /** Digests {@code tables} of {@code db}'s database on {@code jobs} sessions with {@code settings}. */
    static SortedMap<String, TableDigest> read(Db db, List<TableInfo> tables, int jobs, String settings, Consumer<String> out) {
        return read(db, tables, jobs, SPLIT_BYTES, settings, out);
    }

    /** The same, cutting tables above {@code splitBytes} into ranges. */
    static SortedMap<String, TableDigest> read(Db db, List<TableInfo> tables, int jobs, long splitBytes, String settings,
                                               Consumer<String> out) {
        int version = Integer.parseInt(db.text("SHOW server_version_num"));
        SortedMap<String, TableDigest> digests = new TreeMap<>();
        List<Piece> pieces = new ArrayList<>();
        Map<String, Sums> sums = new ConcurrentHashMap<>();
        for (TableInfo t : tables) {
            if (t.materializedView() && !t.populated()) {
                digests.put(t.qualifiedName(), new TableDigest("materialized view (not populated)", 0, "-"));
                continue;
            }
            List<String> ranges = jobs > 1 && !t.materializedView() && t.bytes() > splitBytes && version >= Ranges.TID_RANGE_SCAN_VERSION
                    ? Ranges.ofPages(db.longValue("SELECT pg_relation_size(?::regclass) / current_setting('block_size')::int", t.sqlName()),
                    (int) Math.min(jobs * PIECES_PER_JOB, (t.bytes() + splitBytes - 1) / splitBytes))
                    : List.of();
            if (ranges.isEmpty()) {
                pieces.add(new Piece(t, "", t.bytes()));
            } else {
                ranges.forEach(r -> pieces.add(new Piece(t, " WHERE " + r, t.bytes() / ranges.size())));
            }
            sums.put(t.qualifiedName(), new Sums(Math.max(1, ranges.size())));
        }
        pieces.sort(Comparator.comparingLong(Piece::bytes).reversed());

        Queue<Piece> queue = new ConcurrentLinkedQueue<>(pieces);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicInteger done = new AtomicInteger();
        try {
            Threads.runAll(Math.max(1, Math.min(jobs, pieces.size())), "verify-digest", i -> {
                try (Db session = Db.connect(db.spec())) {
                    session.execute(settings);
                    Piece p;
                    while (failure.get() == null && (p = queue.poll()) != null) {
                        digest(session, p, sums.get(p.table().qualifiedName()), digests, done, tables.size(), out);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.FAILED, "verification interrupted", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return digests;
    }

    private static void digest(Db session, Piece p, Sums s, SortedMap<String, TableDigest> digests, AtomicInteger done,
                               int total, Consumer<String> out) {
        TableInfo t = p.table();
        String from = (t.materializedView() ? "" : "ONLY ") + t.sqlName();
        Object[] part = session.one(DIGEST_SQL.formatted(from, p.where()),
                rs -> new Object[] {rs.getLong(1), new BigInteger(rs.getString(2)), new BigInteger(rs.getString(3))});
        synchronized (s) {
            s.rows += (Long) part[0];
            s.h0 = s.h0.add((BigInteger) part[1]);
            s.h1 = s.h1.add((BigInteger) part[2]);
            if (--s.piecesLeft > 0) {
                return;
            }
        }
        String kind = t.materializedView() ? "materialized view" : t.unlogged() ? "unlogged table" : "table";
        synchronized (digests) {
            digests.put(t.qualifiedName(), new TableDigest(kind, s.rows, s.h0 + "/" + s.h1));
        }
        int n = done.incrementAndGet();
        if (n % 50 == 0) {
            out.accept("verify " + session.spec().display() + ": " + n + "/" + total + " tables digested");
        }
    }
}
