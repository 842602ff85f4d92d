package io.pgrelocate.engine.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One test's namespace on the real control plane: an admin client, clients that act as a
 * ServiceAccount (a token from the TokenRequest API, so RBAC decides), a kubeconfig for the CLI, and a
 * fake kubelet. Everything it opened is closed, and the namespace deleted, when the test ends.
 */
public final class KubeNamespace implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final ControlPlane plane;
    private final String name;
    private final KubernetesClient admin;
    private final List<AutoCloseable> opened = new ArrayList<>();

    KubeNamespace(ControlPlane plane, String name) {
        this.plane = plane;
        this.name = name;
        this.admin = client(plane.adminConfig());
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        // pods are refused until the ServiceAccount controller has made the namespace's default account
        admin.serviceAccounts().inNamespace(name).withName("default").waitUntilCondition(sa -> sa != null, 60, TimeUnit.SECONDS);
    }

    public String name() {
        return name;
    }

    /** A system:masters client whose default namespace is this one. */
    public KubernetesClient admin() {
        return admin;
    }

    /** A client that authenticates as ServiceAccount {@code account} of this namespace, as a Job's pod does. */
    public KubernetesClient as(String account) {
        Config config = new ConfigBuilder(plane.adminConfig()).withClientCertData(null).withClientKeyData(null)
                .withClientCertFile(null).withClientKeyFile(null).withOauthToken(token(account)).withNamespace(name).build();
        return client(config);
    }

    /** Creates ServiceAccount {@code account} (for tests that bind their own Role) and returns it as a client. */
    public KubernetesClient newAccount(String account) {
        admin.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                .endMetadata().build()).create();
        return as(account);
    }

    /** A kubeconfig whose context is the admin in this namespace, for the CLI and kubectl; deleted at the end. */
    public Path kubeconfig() {
        Config admin = plane.adminConfig();
        return kubeconfig("admin", "client-certificate-data: " + admin.getClientCertData() + "\n    client-key-data: " + admin.getClientKeyData());
    }

    /** The same for ServiceAccount {@code account}: the CLI run with that account's Role only. */
    public Path kubeconfig(String account) {
        return kubeconfig(account, "token: " + token(account));
    }

    private Path kubeconfig(String user, String credentials) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    %s
                contexts:
                - name: test
                  context: {cluster: test, user: %s, namespace: %s}
                current-context: test
                """.formatted(plane.adminConfig().getMasterUrl(), plane.adminConfig().getCaCertData(), user, credentials, user, name);
        try {
            Path file = Files.createTempFile(Path.of("target").toAbsolutePath(), "kubeconfig-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            opened.add(() -> Files.deleteIfExists(file));
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Installs a CRD from the test resources ({@code crds/...} of the engine's test-jar) and waits until it is
     * served. CRDs are cluster-wide: a second test that asks for the same one finds it applied already.
     */
    public void crd(String resource) {
        try (var in = KubeNamespace.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
            admin.resource(crd).fieldManager("pgrelocate-tests").forceConflicts().serverSideApply();
            admin.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).waitUntilCondition(c -> c != null
                    && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                    .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Marks this namespace's pods Running and Ready until the test ends. */
    public FakeKubelet fakeKubelet() {
        return track(new FakeKubelet(admin, name));
    }

    /** Runs the applications labelled {@code app} in {@code apps} as their pods come and go, until the test ends (see {@link AppContainers}). */
    public AppContainers appContainers(java.util.Set<String> apps, java.util.Map<String, Integer> services) {
        return track(new AppContainers(admin, name, apps, services));
    }

    private String token(String account) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
        return admin.serviceAccounts().inNamespace(name).withName(account).tokenRequest(request).getStatus().getToken();
    }

    private KubernetesClient client(Config config) {
        config.setNamespace(name);
        return track(new KubernetesClientBuilder().withConfig(config).build());
    }

    private <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            if (opened.get(i) != admin) {
                opened.get(i).close();
            }
        }
        admin.namespaces().withName(name).delete(); // finalized by the controller-manager in the background
        admin.close();
    }
}
