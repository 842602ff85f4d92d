package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kubeconfig file that points at a mock API server, so that kubectl and the CLI reach it the way
 * they reach a real cluster: through a file, a context and its default namespace.
 */
public final class MockKubeconfig {
    private MockKubeconfig() {
    }

    /** Writes a kubeconfig whose only context, {@code mock}, uses {@code namespace} by default. */
    public static Path write(KubernetesMockServer server, String namespace) {
        return write("http://" + server.getHostName() + ":" + server.getPort(), namespace);
    }

    public static Path write(String serverUrl, String namespace) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: tester
                  user:
                    token: not-a-secret
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: %s
                current-context: mock
                """.formatted(serverUrl, namespace);
        try {
            Path file = Files.createTempFile("kubeconfig", ".yaml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
