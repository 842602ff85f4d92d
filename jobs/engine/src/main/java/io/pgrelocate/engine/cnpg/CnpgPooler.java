package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.Map;

/** A PgBouncer {@code Pooler} in front of the cluster's read-write or read-only Service. */
public final class CnpgPooler {
    public static final String KIND = "Pooler";

    private CnpgPooler() {
    }

    public enum Type {
        RW, RO;

        String crdValue() {
            return name().toLowerCase();
        }
    }

    /** {@code <cluster>-pooler-rw} / {@code -ro}: also the name of its Service. */
    public static String name(ClusterShape shape, Type type) {
        return shape.name() + "-pooler-" + type.crdValue();
    }

    /**
     * Session pooling, because applications moved from a direct connection may rely on session state
     * (prepared statements, advisory locks, SET) that transaction pooling would break; two PgBouncer pods
     * so that one can be rescheduled without an outage.
     */
    public static GenericKubernetesResource desired(ClusterShape shape, Type type) {
        Map<String, Object> spec = Fields.of(
                "cluster", Fields.of("name", shape.name()),
                "instances", 2,
                "type", type.crdValue(),
                "pgbouncer", Fields.of(
                        "poolMode", "session",
                        "parameters", Fields.of("max_client_conn", "1000", "default_pool_size", "20")));
        return Fields.resource(KIND, name(shape, type), shape.namespace(), spec);
    }
}
