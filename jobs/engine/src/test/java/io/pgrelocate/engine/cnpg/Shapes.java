package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.NodeAffinityBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.List;
import java.util.Map;

/** Fixed inputs for the golden files: a Zalando-like source with every field the generator uses. */
final class Shapes {
    private Shapes() {
    }

    static ClusterShape shop(int major) {
        var resources = new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1Gi")))
                .withLimits(Map.of("memory", new Quantity("2Gi"))).build();
        var toleration = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("postgres")
                .withEffect("NoSchedule").build();
        var nodeAffinity = new NodeAffinityBuilder().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("topology.kubernetes.io/zone")
                .withOperator("In").withValues("eu-west-1a", "eu-west-1b").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().build();
        Map<String, String> parameters = Map.of(
                "shared_buffers", "512MB", "max_connections", "200", "work_mem", "8MB",
                "listen_addresses", "*", "ssl", "on", "shared_preload_libraries", "bg_mon,pg_stat_statements",
                "log_destination", "csvlog", "archive_mode", "on");
        return new ClusterShape("shop-db", "shop", major, 1, "20Gi", "fast-ssd", resources, parameters,
                Map.of("node-role.kubernetes.io/database", "true"), List.of(toleration), nodeAffinity,
                "shop", "shop", List.of("db.shop.example.com"), List.of("regcred"), null);
    }

    static ImportSource microservice() {
        return new ImportSource("shop-db-zalando.shop.svc", 5432, "postgres", "shop",
                "postgres.shop-db-zalando.credentials.postgresql.acid.zalan.do", "password",
                ImportSource.Type.MICROSERVICE, List.of("shop"), List.of(), 4);
    }

    static ImportSource monolith() {
        return new ImportSource("shop-db-zalando.shop.svc", 5432, "postgres", "postgres",
                "postgres.shop-db-zalando.credentials.postgresql.acid.zalan.do", "password",
                ImportSource.Type.MONOLITH, List.of("shop", "billing"), List.of("shop", "billing", "reporting"), 4);
    }

    static BackupTarget backup() {
        return new BackupTarget("s3://backups/shop-db", "https://minio.storage.svc:9000", "shop-db-backup-creds", null);
    }
}
