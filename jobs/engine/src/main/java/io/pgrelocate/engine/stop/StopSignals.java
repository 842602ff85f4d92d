package io.pgrelocate.engine.stop;

import io.pgrelocate.engine.ExitCode;
import sun.misc.Signal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * Turns SIGTERM (Kubernetes deleting the Job's pod), SIGINT (Ctrl-C) and SIGHUP into an ordinary
 * failure of the run: the stop is requested ({@link Interruption}), the running tools and their
 * workers are stopped, the run's thread is woken, and the run's own failure path (delete the pgpass
 * file, write the report with the step reached, thaw or un-fence) ends it with exit code 19.
 *
 * <p>These are signal handlers, not a shutdown hook: a shutdown hook runs while the JVM is already
 * going down, after Quarkus's own hook has begun closing the beans (the Kubernetes client the thaw
 * needs), and {@code System.exit} from one blocks. With the signal handled the JVM is not shutting
 * down: the run returns its exit code as on any failure, and the process exits with exactly that
 * code. Only when the run has not ended within the grace period does the handler halt the process
 * (with code 19); a second signal halts at once.
 */
public final class StopSignals {
    /** Less than the CronJob templates' terminationGracePeriodSeconds (120), so the undo fits. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(100);
    private static final Duration TOOLS_GRACE = Duration.ofSeconds(10);
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    private static volatile Thread runThread;
    private static volatile CountDownLatch runEnded = new CountDownLatch(0);
    private static volatile Duration grace = DEFAULT_GRACE;
    private static volatile PrintStream err = System.err;

    private StopSignals() {
    }

    /**
     * Runs {@code run} on this thread with the handlers installed, so that a signal during it
     * ends it as described above; returns its exit code.
     */
    public static int guard(Duration gracePeriod, PrintStream messages, IntSupplier run) {
        install();
        grace = gracePeriod;
        err = messages;
        runEnded = new CountDownLatch(1);
        Interruption.targetLive(false);
        runThread = Thread.currentThread();
        try {
            return run.getAsInt();
        } finally {
            runThread = null;
            runEnded.countDown();
        }
    }

    private static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            for (String name : SIGNALS) {
                try {
                    Signal.handle(new Signal(name), s -> stop("SIG" + s.getName()));
                } catch (IllegalArgumentException e) {
                    // the signal does not exist here or the JVM reserves it (-Xrs): the default stays
                }
            }
        }
    }

    /** For tests that play a signal in their own JVM and then go on: forgets the stop. */
    static void reset() {
        STOPPING.set(false);
        Interruption.reset();
    }

    /** What a signal does; runs on a thread of its own that the JVM starts for the handler. */
    static void stop(String signal) {
        if (!STOPPING.compareAndSet(false, true)) {
            err.println("stop: " + signal + " again; exiting now without undoing (exit " + ExitCode.INTERRUPTED.code() + ")");
            err.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        }
        Thread run = runThread;
        if (run == null) {
            // No run under way (starting up, or printing help): nothing to undo.
            err.println("stop: " + signal + " received; no run under way (exit " + ExitCode.INTERRUPTED.code() + ")");
            err.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
        }
        err.println("stop: " + signal + " received; stopping the running tools and " + (Interruption.targetLive()
                ? "ending the run: the target is live and stays so, the source stays fenced (pgrelocate rollback goes back)"
                : "undoing what had begun") + " (up to " + grace.toSeconds() + " s)");
        err.flush();
        Interruption.request();
        RunningTools.stopAll(TOOLS_GRACE);
        run.interrupt();
        try {
            if (runEnded.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;  // the run returns its exit code and the process ends with it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("stop: the run did not end within " + grace.toSeconds() + " s; exiting (exit "
                + ExitCode.INTERRUPTED.code() + ")");
        err.flush();
        Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
    }
}
