package io.pgrelocate.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.EngineException;
import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** A command that works on a cluster: connects as kubectl would and turns every failure into one line and an exit code. */
abstract class KubeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    abstract int run(Cluster cluster);

    @Override
    public Integer call() {
        Cluster cluster;
        try {
            cluster = kube.connect();
        } catch (SettingsException | KubernetesClientException e) {
            return fail(e.getMessage(), ExitCode.BAD_SETTINGS);
        }
        try (cluster) {
            return run(cluster);
        } catch (EngineException e) {
            return fail(unreachable(e, cluster).orElse(e.getMessage()), e.exitCode());
        } catch (KubernetesClientException e) {
            return fail(unreachable(e, cluster).orElse("the Kubernetes API failed a request: " + e.getMessage()), ExitCode.KUBERNETES);
        } catch (SettingsException e) {
            return fail(e.getMessage(), ExitCode.BAD_SETTINGS);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(String message, ExitCode code) {
        err().println("error: " + message);
        err().flush();
        return code.code();
    }

    /**
     * An API server that never answered (no HTTP status) is named with its URL, whichever call met it
     * first, so the user knows which kubeconfig entry to check.
     */
    private static Optional<String> unreachable(Throwable e, Cluster cluster) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() <= 0 && k.getCause() != null) {
                Throwable root = k;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return Optional.of("cannot reach the Kubernetes API at " + cluster.server() + " (" + root.getMessage()
                        + "); check --kubeconfig/--context and that the cluster is up");
            }
        }
        return Optional.empty();
    }
}
