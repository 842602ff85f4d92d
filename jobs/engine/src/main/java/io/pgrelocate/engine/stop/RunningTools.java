package io.pgrelocate.engine.stop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The external tools running right now, so that a stop can end them and every process they forked
 * (pg_dump -j and pg_restore -j run one worker process per job). SIGTERM first: each pg_dump and
 * pg_restore process then cancels its own query on the server before exiting, so nothing keeps
 * writing to the target; what is still alive after the grace period is killed.
 */
public final class RunningTools {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final CountDownLatch ALL_STOPPED = new CountDownLatch(1);

    private RunningTools() {
    }

    public static void started(Process p) {
        RUNNING.add(p);
    }

    public static void ended(Process p) {
        RUNNING.remove(p);
    }

    /** Stops every running tool and its descendants; returns once they are gone or {@code grace} passed. */
    public static void stopAll(Duration grace) {
        try {
            stop(List.copyOf(RUNNING), grace);
        } finally {
            ALL_STOPPED.countDown();
        }
    }

    /**
     * Waits until {@link #stopAll} is done: a tool's leader can exit (and so end the wait for it)
     * while its workers are still cancelling their queries, and the run must not end before them.
     */
    public static void awaitStopAll(Duration limit) {
        try {
            ALL_STOPPED.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // the stop is under way anyway; the flag was consumed by whoever interrupted us
        }
    }

    public static void stopTree(Process process, Duration grace) {
        stop(List.of(process), grace);
    }

    private static void stop(List<Process> processes, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process p : processes) {
            // Descendants first, read while the parent is alive: once it exits they are re-parented.
            p.toHandle().descendants().forEach(tree::add);
            tree.add(p.toHandle());
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // not gone in time (or the wait was interrupted): killed below
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
