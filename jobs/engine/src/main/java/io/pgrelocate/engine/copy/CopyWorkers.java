package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.common.Threads;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * N workers, each with one source session inside the snapshot and one target session, taking work
 * from one queue (biggest first) until it is empty, so every worker stays busy to the end. The
 * first failure stops the others at their next row.
 */
final class CopyWorkers implements AutoCloseable {
    /** Work a worker does with its own two sessions. */
    interface Task {
        String label();

        void run(Db source, Db target) throws Exception;
    }

    private final List<Db[]> sessions = new ArrayList<>();
    private final AtomicReference<StreamFailure> failure = new AtomicReference<>();

    /** Opens every worker's sessions now, so the exporting transaction can end as soon as this returns. */
    CopyWorkers(ExportedSnapshot snapshot, ConnectionSpec target, int jobs) {
        try {
            for (int i = 0; i < jobs; i++) {
                Db s = snapshot.join(StreamSessions.SOURCE_SETTINGS);
                Db t;
                try {
                    t = Db.connect(target);
                    t.execute(StreamSessions.TARGET_SETTINGS);
                } catch (RuntimeException e) {
                    s.close();
                    throw e;
                }
                sessions.add(new Db[] {s, t});
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    boolean aborted() {
        return failure.get() != null;
    }

    /** Runs every task; throws the first failure once all workers have stopped. */
    void run(List<? extends Task> tasks, Consumer<Task> done) {
        Queue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        try {
            Threads.runAll(sessions.size(), "stream-copy", i -> {
                Db[] pair = sessions.get(i);
                Task task;
                while (!aborted() && (task = queue.poll()) != null) {
                    try {
                        task.run(pair[0], pair[1]);
                        done.accept(task);
                    } catch (Exception e) {
                        failure.compareAndSet(null, new StreamFailure("copying " + task.label(), e));
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new StreamFailure("the copy", e));
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Override
    public void close() {
        for (Db[] pair : sessions) {
            pair[0].close();
            pair[1].close();
        }
        sessions.clear();
    }
}
