package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a table's indexes as soon as its data is in, while other tables still copy, on at most
 * {@code budget} sessions beside the copy workers (as pgcopydb's --index-jobs); {@link #widen} can
 * raise the budget once the copy is done. Then ANALYZE of the table, so statistics also come in
 * parallel; last, the checks of the foreign keys. Sessions are kept and reused: with thousands of
 * small tables, a connection per build cost more than the builds. A small table's builds and its
 * ANALYZE go in one round trip (one implicit transaction); a big table's indexes build side by side.
 */
final class IndexScheduler implements AutoCloseable {
    /** Below this a table's indexes take milliseconds: one round trip for all of them beats parallel builds. */
    static final long SMALL_TABLE_BYTES = 8L << 20;

    private final ConnectionSpec target;
    private final boolean analyze;
    private final ThreadPoolExecutor pool;
    private final List<CompletableFuture<Void>> work = new ArrayList<>();
    private final AtomicInteger built = new AtomicInteger();
    private final Deque<Db> idle = new ConcurrentLinkedDeque<>();
    private final Set<Db> opened = ConcurrentHashMap.newKeySet();

    IndexScheduler(ConnectionSpec target, int budget, boolean analyze) {
        this.target = target;
        this.analyze = analyze;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(budget, budget, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "stream-index-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The table's data is complete: queue its index builds, then its ANALYZE. */
    synchronized void tableLoaded(String sqlName, long tableBytes, List<IndexBuild> builds) {
        if (tableBytes < SMALL_TABLE_BYTES) {
            List<String> all = new ArrayList<>();
            builds.forEach(b -> all.addAll(b.statements()));
            if (analyze) {
                all.add("ANALYZE " + sqlName);
            }
            if (!all.isEmpty()) {
                work.add(CompletableFuture.runAsync(() -> run(all, builds.isEmpty() ? "ANALYZE " + sqlName
                        : "building the indexes of " + builds.get(0).table()), pool).thenRun(() -> built.addAndGet(builds.size())));
            }
            return;
        }
        List<CompletableFuture<Void>> indexes = builds.stream()
                .map(b -> CompletableFuture.runAsync(() -> run(b.statements(), "building index " + b.name() + " of " + b.table()), pool)
                        .thenRun(built::incrementAndGet))
                .toList();
        CompletableFuture<Void> all = CompletableFuture.allOf(indexes.toArray(CompletableFuture[]::new));
        work.add(analyze ? all.thenRunAsync(() -> run(List.of("ANALYZE " + sqlName), "ANALYZE " + sqlName), pool) : all);
    }

    /** Queues the checks of foreign keys added NOT VALID (those valid on the source). */
    synchronized void validate(List<ForeignKeys.ForeignKey> keys) {
        keys.stream().filter(ForeignKeys.ForeignKey::validated).forEach(k -> work.add(CompletableFuture.runAsync(
                () -> run(List.of(k.validate()), "validating foreign key " + k.name() + " of " + k.table()), pool)));
    }

    /** The copy workers are done: use their share of the CPU too. */
    void widen(int budget) {
        pool.setMaximumPoolSize(Math.max(budget, pool.getMaximumPoolSize()));
        pool.setCorePoolSize(pool.getMaximumPoolSize());
    }

    int built() {
        return built.get();
    }

    int pending() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

    /** Waits for every build queued so far; the first failure is rethrown as it happened. */
    void await() {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = List.copyOf(work);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** Runs {@code statements} in one round trip on an idle session (a new one if none is idle). */
    private void run(List<String> statements, String what) {
        Db db = idle.pollFirst();
        try {
            if (db == null) {
                db = Db.connect(target);
                opened.add(db);
                db.execute(StreamSessions.TARGET_SETTINGS);
            }
            db.execute(String.join(";\n", statements));
            idle.addFirst(db);
        } catch (RuntimeException e) {
            if (db != null) {
                opened.remove(db);
                db.close();
            }
            throw new StreamFailure(what, e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        opened.forEach(Db::close);
        opened.clear();
        idle.clear();
    }
}
