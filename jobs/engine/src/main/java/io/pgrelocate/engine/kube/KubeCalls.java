package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;

import java.util.function.Supplier;

/** Turns a failed API call into one line that says what we were doing and why the API refused. */
public final class KubeCalls {
    private KubeCalls() {
    }

    public static <T> T run(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw new EngineException(ExitCode.KUBERNETES, "cannot " + what + ": " + reason(e), e);
        }
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
