package io.pgrelocate.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Least privilege for the cutover: the migration Job may read and update exactly the Secrets and
 * ConfigMaps the applications reference (and the copies {@link Adoption} makes of the old database's),
 * by name, for one migration. Made by whoever starts the migration with their own rights
 * ({@code pgrelocate run migration}), owned by that Job (so Kubernetes removes it with the Job) and
 * removed when the run ends. The static Role {@code pgrelocate-migration-cutover} grants no Secret or
 * ConfigMap read of its own.
 */
public final class CutoverGrant {
    public static final String ACCOUNT = "pgrelocate-migration";

    private final KubernetesClient client;
    private final String namespace;
    private final String migration;

    public CutoverGrant(KubernetesClient client, String namespace, String migration) {
        this.client = client;
        this.namespace = namespace;
        this.migration = migration;
    }

    public String name() {
        return "pgrelocate-migration-" + migration + "-apps";
    }

    /** The rules for {@code apps}: get and update on their Secrets and ConfigMaps, and on the copies, by name. */
    public List<PolicyRule> rules(List<WorkloadRef> apps) {
        Workloads workloads = new Workloads(client, namespace);
        Set<String> secrets = new TreeSet<>();
        Set<String> configMaps = new TreeSet<>();
        for (WorkloadRef app : apps) {
            PodReferences.of(workloads.template(app).getSpec()).forEach(r -> {
                Set<String> names = r.secret() ? secrets : configMaps;
                names.add(r.name());
                names.add(Adoption.copyName(r.name()));
            });
        }
        List<PolicyRule> rules = new ArrayList<>();
        if (!secrets.isEmpty()) {
            rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withResourceNames(List.copyOf(secrets))
                    .withVerbs("get", "update").build());
        }
        if (!configMaps.isEmpty()) {
            rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps").withResourceNames(List.copyOf(configMaps))
                    .withVerbs("get", "update").build());
        }
        return rules;
    }

    /** Creates (or replaces) the Role and its binding to the migration's ServiceAccount; {@code owner}, when given, takes them along. */
    public void grant(List<WorkloadRef> apps, HasMetadata owner) {
        List<PolicyRule> rules = rules(apps);
        var meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name()).withNamespace(namespace)
                .withLabels(Labels.of(Labels.component(), migration));
        if (owner != null) {
            meta.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                    .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build());
        }
        Role role = new RoleBuilder().withMetadata(meta.build()).withRules(rules).build();
        RoleBinding binding = new RoleBindingBuilder().withMetadata(meta.build())
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", name())
                .addNewSubject().withKind("ServiceAccount").withName(ACCOUNT).withNamespace(namespace).endSubject().build();
        KubeCalls.run("create Role " + name(), () -> client.resource(role).forceConflicts().fieldManager("pgrelocate").serverSideApply());
        KubeCalls.run("create RoleBinding " + name(), () -> client.resource(binding).forceConflicts().fieldManager("pgrelocate").serverSideApply());
    }

    /** Removes the Role and its binding (nothing when they are gone already). */
    public void revoke() {
        KubeCalls.run("delete RoleBinding " + name(), () -> client.rbac().roleBindings().inNamespace(namespace).withName(name()).delete());
        KubeCalls.run("delete Role " + name(), () -> client.rbac().roles().inNamespace(namespace).withName(name()).delete());
    }
}
