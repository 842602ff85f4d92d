package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a CNPG cluster is generated from: the shape of the source (filled by discovery or by flags).
 * Nullable: storageClass, resources, nodeAffinity, imageRegistry (then CNPG's defaults apply).
 *
 * @param extraDnsNames further names the server certificate must carry (e.g. an external alias)
 * @param imageRegistry replaces {@code ghcr.io/cloudnative-pg} for a private mirror
 */
public record ClusterShape(String name, String namespace, int postgresMajor, int instances,
                           String storageSize, String storageClass, ResourceRequirements resources,
                           Map<String, String> parameters, Map<String, String> nodeSelector,
                           List<Toleration> tolerations, NodeAffinity nodeAffinity,
                           String owner, String database, List<String> extraDnsNames,
                           List<String> imagePullSecrets, String imageRegistry) {
    /** RFC 1035 label: CNPG derives Service names from it, and those must be labels. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,48}[a-z0-9])?");
    /** The oldest major CloudNativePG 1.30 still runs. */
    static final int OLDEST_MAJOR = 13;

    public ClusterShape {
        if (name == null || !DNS_LABEL.matcher(name).matches()) {
            throw new SettingsException("cluster name \"" + name + "\" is not a DNS label of at most 50 characters"
                    + " (lower-case letters, digits, '-', starting with a letter)");
        }
        if (namespace == null || namespace.isBlank()) {
            throw new SettingsException("no namespace for cluster " + name);
        }
        if (postgresMajor < OLDEST_MAJOR) {
            throw new SettingsException("PostgreSQL major " + postgresMajor + " is older than CloudNativePG supports ("
                    + OLDEST_MAJOR + "); upgrade the source first or use a newer major for the target");
        }
        if (instances < 1) {
            throw new SettingsException("instances must be at least 1, got " + instances);
        }
        if (storageSize == null || storageSize.isBlank()) {
            throw new SettingsException("no storage size for cluster " + name);
        }
        parameters = sorted(parameters);
        nodeSelector = sorted(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        extraDnsNames = extraDnsNames == null ? List.of() : List.copyOf(extraDnsNames);
        imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
        owner = owner == null || owner.isBlank() ? "app" : owner;
        database = database == null || database.isBlank() ? "app" : database;
    }

    /** Sorted, so that the same input gives the same YAML (Map.of's order changes from run to run). */
    private static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** The same shape with another number of instances. */
    public ClusterShape withInstances(int n) {
        return new ClusterShape(name, namespace, postgresMajor, n, storageSize, storageClass, resources, parameters,
                nodeSelector, tolerations, nodeAffinity, owner, database, extraDnsNames, imagePullSecrets, imageRegistry);
    }
}
