package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.util.function.Supplier;

/** Turns a failed API call into one line that says what we were doing and why the API refused. */
public final class KubeCalls {
    private KubeCalls() {
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
