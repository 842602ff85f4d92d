package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.pgrelocate.controller.KubeOptions.Cluster;
import io.pgrelocate.engine.kube.WorkloadRef;
import io.pgrelocate.engine.settings.SettingsException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings ConfigMap the Jobs read through envFrom. The CLI takes its defaults from there, so a
 * freeze from a laptop and the migration Job agree on the migration name, workloads and timeouts.
 * Read once, on first use: a command given every value by flags never reads it.
 */
final class ClusterSettings {
    static final String NAME = "pgrelocate-settings";
    static final String MIGRATION = "PGRELOCATE_MIGRATION";
    static final String WORKLOADS = "PGRELOCATE_WORKLOADS";
    static final String CUTOVER_HOSTS = "PGRELOCATE_CUTOVER_HOSTS";
    static final String FREEZE_TIMEOUT = "PGRELOCATE_FREEZE_TIMEOUT";
    static final String THAW_TIMEOUT = "PGRELOCATE_THAW_TIMEOUT";

    private final Cluster cluster;
    private Map<String, String> data;

    ClusterSettings(Cluster cluster) {
        this.cluster = cluster;
    }

    String migration(String flag) {
        return flag != null ? flag : value(MIGRATION).orElseThrow(() -> missing("--migration", MIGRATION));
    }

    List<WorkloadRef> workloads(List<String> flags) {
        List<String> texts = !flags.isEmpty() ? flags
                : value(WORKLOADS).map(v -> Arrays.asList(v.split(","))).orElse(List.of());
        List<WorkloadRef> refs = WorkloadRef.parseAll(texts);
        if (refs.isEmpty()) {
            throw missing("--workload deployment/NAME", WORKLOADS);
        }
        return refs;
    }

    /** The flag, else the ConfigMap's value, else the Jobs' own default. */
    Duration timeout(Duration flag, String key, String jobDefault) {
        if (flag != null) {
            return flag;
        }
        String text = value(key).orElse(jobDefault);
        try {
            return Durations.parse(text);
        } catch (SettingsException e) {
            throw new SettingsException(key + " in " + where() + ": " + e.getMessage());
        }
    }

    Optional<String> value(String key) {
        if (data == null) {
            ConfigMap cm = cluster.client().configMaps().inNamespace(cluster.namespace()).withName(NAME).get();
            data = cm == null || cm.getData() == null ? Map.of() : cm.getData();
        }
        return Optional.ofNullable(data.get(key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private SettingsException missing(String flag, String key) {
        return new SettingsException("no " + flag + " given and no " + key + " in " + where()
                + ": pass the flag, or apply the manifests (kubectl apply -k kustomize/overlays/<env>) or pass -n");
    }

    private String where() {
        return "ConfigMap " + cluster.namespace() + "/" + NAME;
    }
}
