package io.pgrelocate.manifests;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.assertj.core.api.SoftAssertions;

/** Calls a job must never make: each must meet a real 403 from the API server's RBAC. */
final class Forbidden {
    private final SoftAssertions softly = new SoftAssertions();

    Forbidden call(String what, Runnable call) {
        try {
            call.run();
            softly.fail(what + " was allowed");
        } catch (KubernetesClientException e) {
            softly.assertThat(e.getCode()).as(what + ": " + e.getMessage()).isEqualTo(403);
        }
        return this;
    }

    void verify() {
        softly.assertAll();
    }
}
