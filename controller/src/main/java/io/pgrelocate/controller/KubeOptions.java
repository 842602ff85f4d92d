package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which cluster and namespace: the flags, files and defaults kubectl uses. */
public class KubeOptions {
    /**
     * fabric8 retries a refused connection 10 times with backoff (about 20 s); a person at a terminal
     * should hear at once that the API server is unreachable.
     */
    private static final int RETRIES = 2;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace of the pgrelocate templates, settings and applications (default: the context's namespace, else default).")
    String namespace;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current context).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config; inside a pod, its ServiceAccount).")
    Path kubeconfig;

    /** A client and the namespace it works in; closing it closes the client. */
    record Cluster(KubernetesClient client, String namespace) implements AutoCloseable {
        String server() {
            return String.valueOf(client.getMasterUrl());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    Cluster connect() {
        Config config = kubeconfig == null ? Config.autoConfigure(context) : fromFile(kubeconfig);
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            // fabric8 falls back to the current context; kubectl refuses, and so do we
            throw new SettingsException("context \"" + context + "\" does not exist in the kubeconfig"
                    + (kubeconfig == null ? "" : " " + kubeconfig) + "; contexts: " + String.join(", ",
                    config.getContexts().stream().map(NamedContext::getName).toList()));
        }
        config.setRequestRetryBackoffLimit(RETRIES);
        String ns = namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
        return new Cluster(new KubernetesClientBuilder().withConfig(config).build(), ns);
    }

    private Config fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SettingsException("--kubeconfig " + file + ": no such file");
        }
        return Config.fromKubeconfig(context, file.toFile());
    }
}
