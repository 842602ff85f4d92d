package io.pgrelocate.controller;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.pgrelocate.engine.cnpg.ClusterShape;
import io.pgrelocate.engine.settings.SettingsException;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The target cluster's shape from flags (later also from `pgrelocate discover`). */
class ShapeOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "Name of the CNPG Cluster (its Services are NAME-rw, NAME-ro, NAME-r); with --from-source default <source>-cnpg.")
    String name;

    @Option(names = "--postgres-major", paramLabel = "N",
            description = "PostgreSQL major of the target, at least the source's; the image tag starts with it (with --from-source default: the source's).")
    Integer major;

    @Option(names = "--instances", defaultValue = "1", paramLabel = "N", description = "PostgreSQL instances (default: ${DEFAULT-VALUE}; promoted: at least 2).")
    int instances;

    @Option(names = "--storage-size", paramLabel = "SIZE", description = "Volume size per instance, e.g. 20Gi (with --from-source: the source's).")
    String storageSize;

    @Option(names = "--storage-class", paramLabel = "CLASS", description = "StorageClass (default: the cluster's default).")
    String storageClass;

    @Option(names = "--cpu", paramLabel = "QTY", description = "CPU request, e.g. 500m.")
    String cpu;

    @Option(names = "--memory", paramLabel = "QTY", description = "Memory request, e.g. 1Gi.")
    String memory;

    @Option(names = "--cpu-limit", paramLabel = "QTY", description = "CPU limit.")
    String cpuLimit;

    @Option(names = "--memory-limit", paramLabel = "QTY", description = "Memory limit.")
    String memoryLimit;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE",
            description = "postgresql.conf parameter of the source; repeatable. Parameters CNPG sets itself are dropped and named on stderr.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--node-selector", paramLabel = "KEY=VALUE", description = "Node label the instances need; repeatable.")
    Map<String, String> nodeSelector = new LinkedHashMap<>();

    @Option(names = "--toleration", paramLabel = "KEY[=VALUE][:EFFECT]",
            description = "Taint the instances tolerate, as kubectl taint writes it; repeatable.")
    List<String> tolerations = new ArrayList<>();

    @Option(names = "--owner", defaultValue = "app", paramLabel = "ROLE", description = "Owner of the application database (default: ${DEFAULT-VALUE}).")
    String owner;

    @Option(names = "--database", defaultValue = "app", paramLabel = "DB", description = "Application database (default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--dns-name", paramLabel = "HOST", description = "Further name for the server certificate; repeatable.")
    List<String> dnsNames = new ArrayList<>();

    @Option(names = "--image-pull-secret", paramLabel = "SECRET", description = "Secret for pulling the images; repeatable.")
    List<String> imagePullSecrets = new ArrayList<>();

    @Option(names = "--image-registry", paramLabel = "REGISTRY",
            description = "Registry holding a copy of CNPG's postgresql images, in place of ghcr.io/cloudnative-pg.")
    String imageRegistry;

    ClusterShape shape(String namespace) {
        require(name, "--name");
        require(major, "--postgres-major");
        require(storageSize, "--storage-size");
        return new ClusterShape(name, namespace, major, instances, storageSize, storageClass, resources(), parameters,
                nodeSelector, tolerations.stream().map(ShapeOptions::toleration).toList(), null, owner, database, dnsNames,
                imagePullSecrets, imageRegistry);
    }

    private static void require(Object value, String option) {
        if (value == null) {
            throw new SettingsException(option + " is required (or --from-source SOURCE to size the cluster like a discovered source)");
        }
    }

    private ResourceRequirements resources() {
        Map<String, Quantity> requests = quantities(cpu, memory);
        Map<String, Quantity> limits = quantities(cpuLimit, memoryLimit);
        return requests.isEmpty() && limits.isEmpty() ? null : new ResourceRequirements(null, limits, requests);
    }

    private static Map<String, Quantity> quantities(String cpu, String memory) {
        Map<String, Quantity> map = new LinkedHashMap<>();
        if (cpu != null) {
            map.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            map.put("memory", new Quantity(memory));
        }
        return map;
    }

    /** {@code key=value:NoSchedule}, {@code key:NoSchedule} (any value), {@code key=value} (every effect). */
    static Toleration toleration(String text) {
        String[] keyAndEffect = text.split(":", 2);
        String[] keyAndValue = keyAndEffect[0].split("=", 2);
        if (keyAndValue[0].isBlank()) {
            throw new SettingsException("--toleration " + text + ": expected KEY[=VALUE][:EFFECT]");
        }
        TolerationBuilder t = new TolerationBuilder().withKey(keyAndValue[0])
                .withOperator(keyAndValue.length == 2 ? "Equal" : "Exists");
        if (keyAndValue.length == 2) {
            t.withValue(keyAndValue[1]);
        }
        if (keyAndEffect.length == 2) {
            t.withEffect(keyAndEffect[1]);
        }
        return t.build();
    }
}
