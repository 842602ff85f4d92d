package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** The CNPG {@code Cluster} for a shape; the variants add their bootstrap, external clusters and backup. */
public final class CnpgCluster {
    public static final String API_VERSION = "postgresql.cnpg.io/v1";
    public static final String KIND = "Cluster";

    private CnpgCluster() {
    }

    /**
     * @param parameters       already filtered (see {@link ParameterFilter})
     * @param poolerNames      Poolers whose Services the server certificate must name
     * @param bootstrap        the {@code spec.bootstrap} section
     * @param externalClusters the {@code spec.externalClusters} entries, possibly none
     * @param backup           the {@code spec.backup} section, or null
     */
    public static GenericKubernetesResource desired(ClusterShape shape, SortedMap<String, String> parameters,
                                                    List<String> poolerNames, Map<String, Object> bootstrap,
                                                    List<Map<String, Object>> externalClusters, Map<String, Object> backup) {
        Map<String, Object> spec = Fields.of(
                "instances", shape.instances(),
                "imageName", ImageName.forMajor(shape.postgresMajor(), shape.imageRegistry()),
                "imagePullSecrets", shape.imagePullSecrets().stream().map(s -> Map.of("name", s)).toList(),
                "postgresql", Fields.of("parameters", parameters),
                "bootstrap", bootstrap,
                "externalClusters", externalClusters,
                "storage", Fields.of("size", shape.storageSize(), "storageClass", shape.storageClass()),
                "resources", Fields.plain(shape.resources()),
                "affinity", affinity(shape),
                "certificates", Fields.of("serverAltDNSNames", ServerAltDnsNames.of(shape, poolerNames)),
                "backup", backup);
        return Fields.resource(KIND, shape.name(), shape.namespace(), spec);
    }

    private static Map<String, Object> affinity(ClusterShape shape) {
        return Fields.of(
                "nodeSelector", shape.nodeSelector(),
                "tolerations", shape.tolerations().stream().map(Fields::plain).toList(),
                "nodeAffinity", Fields.plain(shape.nodeAffinity()));
    }

    /** A new, empty application database owned by the shape's owner. */
    public static Map<String, Object> initdb(ClusterShape shape) {
        return Fields.of("initdb", Fields.of("database", shape.database(), "owner", shape.owner()));
    }
}
