package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Map;

/**
 * The CNPG {@code Subscription} matching what the logical strategy creates by SQL: on the slot the
 * strategy made with an exported snapshot (create_slot = false), without a copy of its own
 * (copy_data = false), since the bulk copy came from that snapshot. The source is no CNPG cluster,
 * so its publication and slot cannot be a CNPG {@code Publication}: pgrelocate makes them by SQL.
 */
public final class CnpgSubscription {
    public static final String KIND = "Subscription";

    private CnpgSubscription() {
    }

    /**
     * @param name        the publication, slot and subscription name ({@code pgrelocate_<migration>})
     * @param source      the publisher, the same externalCluster an import uses
     */
    public static GenericKubernetesResource desired(ClusterShape shape, ImportSource source, String name) {
        Map<String, Object> spec = Fields.of(
                "cluster", Fields.of("name", shape.name()),
                "dbname", shape.database(),
                "name", name,
                "externalClusterName", ImportBootstrap.SOURCE_NAME,
                "publicationName", name,
                "publicationDBName", source.dbname(),
                "parameters", Fields.of("create_slot", "false", "slot_name", name, "copy_data", "false"),
                // deleting the object drops the subscription, so it leaves nothing in the database
                "subscriptionReclaimPolicy", "delete");
        return Fields.resource(KIND, shape.name() + "-" + name.replace('_', '-'), shape.namespace(), spec);
    }
}
