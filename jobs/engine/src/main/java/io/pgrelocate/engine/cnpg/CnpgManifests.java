package io.pgrelocate.engine.cnpg;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pgrelocate.engine.cnpg.CnpgPooler.Type;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The Cluster and its two Poolers for one step of the migration:
 * <ul>
 * <li>{@link #initdb}: an empty cluster the migration Job copies into;</li>
 * <li>{@link #importing}: CNPG copies the source itself while it creates the cluster;</li>
 * <li>{@link #logical}: an empty cluster and the Subscription the logical strategy streams through;</li>
 * <li>{@link #promoted}: after cutover, the cluster becomes production: replicas and backups with WAL archiving.</li>
 * </ul>
 *
 * @param objects the Cluster first, then the Poolers, then a Subscription (the order they are applied in)
 * @param dropped source parameters CNPG would refuse, left out of the Cluster
 * @param notes   other changes made to the input, for the user to read
 */
public record CnpgManifests(List<GenericKubernetesResource> objects, SortedMap<String, String> dropped, List<String> notes) {
    /** Below two instances a promoted cluster has no standby to fail over to. */
    static final int PRODUCTION_INSTANCES = 2;

    public static CnpgManifests initdb(ClusterShape shape) {
        return build(shape, CnpgCluster.initdb(shape), List.of(), null, List.of());
    }

    public static CnpgManifests importing(ClusterShape shape, ImportSource source) {
        return build(shape, ImportBootstrap.bootstrap(shape, source), ImportBootstrap.externalClusters(source), null, List.of());
    }

    /**
     * An empty cluster that reaches the source as an externalCluster, and the Subscription on the
     * slot named {@code subscription} the logical strategy makes (see {@link CnpgSubscription}).
     */
    public static CnpgManifests logical(ClusterShape shape, ImportSource source, String subscription) {
        CnpgManifests cluster = build(shape, CnpgCluster.initdb(shape), ImportBootstrap.externalClusters(source), null, List.of());
        List<GenericKubernetesResource> objects = new ArrayList<>(cluster.objects());
        objects.add(CnpgSubscription.desired(shape, source, subscription));
        return new CnpgManifests(List.copyOf(objects), cluster.dropped(), List.of("apply the Subscription only after pgrelocate"
                + " has made the publication and slot " + subscription + " on the source and copied the data from its snapshot;"
                + " the source is not a CNPG cluster, so no CNPG Publication manages it"));
    }

    public static CnpgManifests promoted(ClusterShape shape, BackupTarget backup) {
        if (backup == null) {
            throw new SettingsException("a promoted cluster needs a backup destination and its credentials Secret");
        }
        List<String> notes = new ArrayList<>();
        ClusterShape production = shape;
        if (shape.instances() < PRODUCTION_INSTANCES) {
            production = shape.withInstances(PRODUCTION_INSTANCES);
            notes.add("instances raised from " + shape.instances() + " to " + PRODUCTION_INSTANCES
                    + ": a promoted cluster needs a standby to fail over to");
        }
        return build(production, CnpgCluster.initdb(production), List.of(), BackupSection.desired(backup), notes);
    }

    /**
     * The same manifests with {@code roles} managed by the Cluster ({@code spec.managed.roles}, each
     * with a passwordSecret) and those Secrets, without passwords, after the Cluster ({@link ManagedRole}).
     */
    @SuppressWarnings("unchecked")
    public CnpgManifests withManagedRoles(List<ManagedRole> roles) {
        if (roles.isEmpty()) {
            return this;
        }
        GenericKubernetesResource cluster = objects.get(0);
        String name = cluster.getMetadata().getName();
        String namespace = cluster.getMetadata().getNamespace();
        Map<String, Object> spec = new java.util.LinkedHashMap<>((Map<String, Object>) cluster.getAdditionalProperties().get("spec"));
        spec.put("managed", Fields.of("roles", roles.stream().map(r -> r.entry(name)).toList()));
        cluster.setAdditionalProperty("spec", spec);
        List<GenericKubernetesResource> all = new ArrayList<>(objects);
        roles.forEach(r -> all.add(r.secret(name, namespace)));
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add("the role Secrets " + String.join(", ", roles.stream().map(r -> r.secretName(name)).toList()) + " hold no password "
                + "here: --apply copies it from the Secret their annotation " + ManagedRole.PASSWORD_FROM + " names; by hand, copy that key");
        return new CnpgManifests(List.copyOf(all), dropped, List.copyOf(allNotes));
    }

    private static CnpgManifests build(ClusterShape shape, Map<String, Object> bootstrap, List<Map<String, Object>> externalClusters,
                                       Map<String, Object> backup, List<String> notes) {
        ParameterFilter.Filtered parameters = ParameterFilter.filter(shape.parameters());
        List<String> poolerNames = List.of(CnpgPooler.name(shape, Type.RW), CnpgPooler.name(shape, Type.RO));
        GenericKubernetesResource cluster = CnpgCluster.desired(shape, parameters.kept(), poolerNames, bootstrap, externalClusters, backup);
        return new CnpgManifests(List.of(cluster, CnpgPooler.desired(shape, Type.RW), CnpgPooler.desired(shape, Type.RO)),
                parameters.dropped(), List.copyOf(notes));
    }
}
