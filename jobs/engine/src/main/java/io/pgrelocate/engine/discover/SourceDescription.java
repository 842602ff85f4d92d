package io.pgrelocate.engine.discover;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/**
 * One source database as found in the cluster: what a CloudNativePG Cluster needs to replace it, and
 * who uses it. Secrets appear by name and key names only; their values are never read into it.
 *
 * @param major     PostgreSQL major, null when neither the resource nor the image tag says (see notes)
 * @param databases database name → owner (owner null when the source does not say)
 * @param apps      the workloads that use it, as kubectl writes them ({@code deployment/web})
 * @param notes     what could not be found out, in words for the user
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceDescription(Flavour flavour, String name, String namespace, String image,
                                List<String> imagePullSecrets, Storage storage, ResourceRequirements resources,
                                List<Toleration> tolerations, Affinity affinity, Integer major,
                                Map<String, String> parameters, List<String> users, Map<String, String> databases,
                                List<CredentialsSecret> secrets, Endpoints endpoints, Integer replicas,
                                List<String> apps, List<String> notes) {

    /** The data volume: size as written in the manifest ({@code 8Gi}), class null for the cluster default. */
    public record Storage(String size, String storageClass) {
    }

    /** A Secret holding credentials; {@code user} is null when the Secret's name does not say whose it is. */
    public record CredentialsSecret(String name, String user, List<String> keys) {
    }

    /**
     * How clients reach the source: {@code rw} and {@code ro} as in-cluster host names ({@code ro} null
     * without replicas' Service), and every Service of the source by name.
     */
    public record Endpoints(String rw, String ro, List<String> services) {
    }

    SourceDescription withApps(List<String> workloads) {
        return new SourceDescription(flavour, name, namespace, image, imagePullSecrets, storage, resources, tolerations,
                affinity, major, parameters, users, databases, secrets, endpoints, replicas, workloads, notes);
    }

    public List<String> secretNames() {
        return secrets.stream().map(CredentialsSecret::name).toList();
    }
}
