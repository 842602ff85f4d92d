package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.net.HttpURLConnection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Turns a failed API call into one line that says what we were doing and why the API refused, and
 * holds the one way pgrelocate writes objects that others write too ({@link #write}).
 */
public final class KubeCalls {
    /** How often a write that met a concurrent writer is tried on the object as it is then. */
    static final int CONFLICT_ATTEMPTS = 8;

    private KubeCalls() {
    }

    /**
     * Every change pgrelocate makes to an object that controllers, applications or another pgrelocate
     * also write (Deployments, StatefulSets, their {@code /scale}, the applications' ConfigMaps and
     * Secrets, the ledger): read it, {@code change} it, write it back on condition that nobody wrote
     * since the read (its resourceVersion). HTTP 409 means somebody did, e.g. the Deployment controller
     * updating the status: read again and apply {@code change} to what is there now, up to
     * {@value #CONFLICT_ATTEMPTS} times, after a short random pause. {@code change} gets the current object, or null when there is
     * none (the result is then created), and may throw to refuse when what it expected has changed.
     */
    public static <T extends HasMetadata> T write(KubernetesClient client, String what, Resource<T> target, UnaryOperator<T> change) {
        return againOnConflict(() -> run(what, () -> {
            T current = target.get();
            T next = change.apply(current);
            return current == null ? client.resource(next).create() : client.resource(next).update();
        }));
    }

    /**
     * Runs {@code readAndWrite} again when it met a concurrent write (HTTP 409, also "already exists"
     * for a create), up to {@value #CONFLICT_ATTEMPTS} times; {@code readAndWrite} must read what it changes.
     * The pause before each new attempt is random and grows: two writers that retry in step would
     * otherwise keep meeting (on the real API server, one of two Jobs writing the ledger in a loop gave up after 5).
     */
    public static <T> T againOnConflict(Supplier<T> readAndWrite) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readAndWrite.get();
            } catch (EngineException e) {
                if (attempt == CONFLICT_ATTEMPTS || !(e.getCause() instanceof KubernetesClientException k
                        && k.getCode() == HttpURLConnection.HTTP_CONFLICT)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 60) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(ExitCode.FAILED, "interrupted while waiting to write again", e);
        }
    }

    /**
     * Runs one API call. A request sent on a kept-alive connection the server had just closed fails
     * before the server saw it ("Connection was closed"); that one is sent again, up to three times.
     */
    public static <T> T run(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (attempt < 3 && closedBeforeSent(e)) {
                    continue;
                }
                throw new EngineException(ExitCode.KUBERNETES, "cannot " + what + ": " + reason(e), e);
            }
        }
    }

    private static boolean closedBeforeSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("HttpClosedException")) { // vert.x, fabric8 7's default transport
                return true;
            }
        }
        return false;
    }

    static String reason(KubernetesClientException e) {
        if (e.getCode() == 403) {
            return "forbidden (the ServiceAccount or your kubeconfig user lacks this permission; see manifests/ for the Role)";
        }
        if (e.getCode() <= 0) { // no HTTP status: fabric8 7 reports -1 when nothing answered
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "the Kubernetes API is unreachable (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return "HTTP " + e.getCode() + " " + message;
    }
}
