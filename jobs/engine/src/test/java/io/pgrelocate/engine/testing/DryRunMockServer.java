package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.HashMap;

/**
 * fabric8's CRUD mock server stores objects even when a request asks for {@code dryRun=All}. This one
 * answers such creates and updates as the API server does: the object echoed back, nothing stored. So a
 * test can tell a dry run that reached the server from one that stored the objects.
 */
public final class DryRunMockServer {
    private DryRunMockServer() {
    }

    /** Started; call {@code destroy()} when done. */
    public static KubernetesMockServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new Dispatcher(), false);
        server.init();
        return server;
    }

    private static final class Dispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            return dryRun(request) ? echo(request, 201) : super.handleCreate(request);
        }

        @Override
        public MockResponse handleUpdate(RecordedRequest request) {
            return dryRun(request) ? echo(request, 200) : super.handleUpdate(request);
        }

        private static boolean dryRun(RecordedRequest request) {
            return request.getPath().contains("dryRun=All");
        }

        private static MockResponse echo(RecordedRequest request, int code) {
            return new MockResponse().setResponseCode(code).setBody(request.getUtf8Body());
        }
    }
}
