package io.pgrelocate.engine.discover;

import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import io.fabric8.kubernetes.api.model.apps.StatefulSetList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cluster without the Zalando CRD answers 404 for postgresqls: that means no Zalando clusters, not
 * a failed API call. (The CRUD mock server knows every resource type, so this one answers only what it is told.)
 */
@EnableKubernetesMockClient(https = false)
class WithoutZalandoOperatorTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aMissingZalandoCrdIsNoZalandoCluster() {
        answer("/apis/apps/v1/namespaces/shop/statefulsets", new StatefulSetList());
        answer("/apis/apps/v1/namespaces/shop/deployments", new DeploymentList());
        answer("/api/v1/namespaces/shop/services", new ServiceList());
        answer("/api/v1/namespaces/shop/configmaps", new ConfigMapList());
        answer("/api/v1/namespaces/shop/secrets", new SecretList());
        // postgresqls is not expected: the mock server answers 404, as an API server without the CRD does

        assertThatThrownBy(() -> Discovery.in(client, "shop")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NOTHING_TO_MIGRATE));
    }

    private void answer(String path, Object list) {
        server.expect().get().withPath(path).andReturn(200, list).always();
    }
}
