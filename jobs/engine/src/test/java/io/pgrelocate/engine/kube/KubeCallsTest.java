package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write every change to a shared object goes through, with faults a real server gives only by chance:
 * a 409 on every attempt stops after the bound, naming the object; any other refusal is not tried again.
 */
@EnableKubernetesMockClient(https = false)
class KubeCallsTest {
    static final String PATH = "/api/v1/namespaces/apps/configmaps/pgrelocate-ledger-m1";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aConcurrentWriterOnEveryAttemptStopsTheWriteAfterTheBound() {
        server.expect().get().withPath(PATH).andReturn(200, new ConfigMapBuilder().withNewMetadata().withName("pgrelocate-ledger-m1")
                .withNamespace("apps").withResourceVersion("7").endMetadata().addToData(LedgerStore.KEY, "{\"migration\":\"m1\",\"namespace\":\"apps\","
                        + "\"state\":\"FROZEN\",\"workloads\":[],\"phases\":{}}").build()).always();
        server.expect().put().withPath(PATH).andReturn(409, status(409, "Operation cannot be fulfilled on configmaps \"pgrelocate-ledger-m1\": "
                + "the object has been modified")).always();
        int before = server.getRequestCount();

        assertThatThrownBy(() -> new LedgerStore(client, "apps", "m1").write(l -> l.phase("copied", java.time.Instant.EPOCH)))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("cannot write ledger pgrelocate-ledger-m1: HTTP 409 Operation cannot be fulfilled")
                .extracting(e -> ((EngineException) e).exitCode()).isEqualTo(ExitCode.KUBERNETES);
        assertThat(server.getRequestCount() - before).as("a read and a write per attempt").isEqualTo(2 * KubeCalls.CONFLICT_ATTEMPTS);
    }

    @Test
    void aRefusalIsNotTriedAgain() {
        server.expect().get().withPath(PATH).andReturn(403, status(403, "forbidden")).always();
        int before = server.getRequestCount();

        assertThatThrownBy(() -> new LedgerStore(client, "apps", "m1").write(l -> l))
                .hasMessageContaining("cannot write ledger pgrelocate-ledger-m1: forbidden");
        assertThat(server.getRequestCount() - before).isEqualTo(1);
    }

    private static io.fabric8.kubernetes.api.model.Status status(int code, String message) {
        return new StatusBuilder().withCode(code).withMessage(message).withStatus("Failure").build();
    }
}
