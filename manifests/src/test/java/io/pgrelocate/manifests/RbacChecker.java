package io.pgrelocate.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Holds rendered RBAC to {@link RbacAllowList}: namespaced Roles only, no wildcard, nothing beyond the table. */
final class RbacChecker {

    private static final String WILDCARD = "*";

    private RbacChecker() {
    }

    /** What the objects grant beyond the allow-list, one line each; empty when they stay within it. */
    static List<String> violations(List<HasMetadata> objects) {
        List<String> violations = new ArrayList<>();
        for (HasMetadata object : objects) {
            String name = object.getMetadata().getName();
            if (object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
                violations.add(object.getKind() + " " + name + ": pgrelocate uses namespaced Roles only");
            } else if (object instanceof RoleBinding binding && !"Role".equals(binding.getRoleRef().getKind())) {
                violations.add("RoleBinding " + name + " binds " + binding.getRoleRef().getKind() + " " + binding.getRoleRef().getName());
            } else if (object instanceof Role role) {
                violations.addAll(roleViolations(role));
            }
        }
        return violations;
    }

    /** Rows of the allow-list that no rendered Role grants any more: the table should shrink with the Roles. */
    static List<String> unusedGrants(List<HasMetadata> objects) {
        Set<RbacAllowList.Grant> granted = new HashSet<>();
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast).forEach(role ->
                forEachPermission(role, (rule, group, resource, verb) ->
                        RbacAllowList.find(role.getMetadata().getName(), group, resource, verb).ifPresent(granted::add)));
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, Set<RbacAllowList.Grant>> role : RbacAllowList.ROLES.entrySet()) {
            role.getValue().stream().filter(g -> !granted.contains(g)).forEach(g -> unused.add(role.getKey() + ": " + g));
        }
        return unused;
    }

    private static List<String> roleViolations(Role role) {
        String name = role.getMetadata().getName();
        if (!RbacAllowList.ROLES.containsKey(name)) {
            return List.of("Role " + name + " is not in the allow-list");
        }
        List<String> violations = new ArrayList<>();
        for (PolicyRule rule : role.getRules()) {
            if (!rule.getNonResourceURLs().isEmpty() || rule.getResourceNames().contains(WILDCARD)) {
                violations.add("Role " + name + ": " + rule + " uses nonResourceURLs or a wildcard name");
            }
        }
        forEachPermission(role, (rule, group, resource, verb) -> {
            String grant = "Role " + name + " grants " + verb + " on " + (group.isEmpty() ? "" : group + "/") + resource;
            if (WILDCARD.equals(group) || WILDCARD.equals(resource) || WILDCARD.equals(verb)) {
                violations.add(grant + ": wildcard");
                return;
            }
            Optional<RbacAllowList.Grant> allowed = RbacAllowList.find(name, group, resource, verb);
            if (allowed.isEmpty()) {
                violations.add(grant + ": not in the allow-list");
            } else if (allowed.get().namedOnly() && rule.getResourceNames().isEmpty()) {
                violations.add(grant + ": allowed only with resourceNames");
            }
        });
        return violations;
    }

    private interface Permission {
        void accept(PolicyRule rule, String apiGroup, String resource, String verb);
    }

    /** Every (apiGroup, resource, verb) a Role's rules combine to. */
    private static void forEachPermission(Role role, Permission permission) {
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        permission.accept(rule, group, resource, verb);
                    }
                }
            }
        }
    }
}
