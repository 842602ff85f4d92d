package io.pgrelocate.manifests;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything the pgrelocate Roles may grant, one row per (apiGroup, resource, verb). A rule in any
 * render that grants something else is a finding, and so is a row the manifests no longer use:
 * this table is the reviewed statement of what the jobs can do in a namespace.
 */
final class RbacAllowList {

    /** One permission; {@code namedOnly}: it must be limited by resourceNames (the ledger). */
    record Grant(String apiGroup, String resource, String verb, boolean namedOnly) {
        @Override
        public String toString() {
            return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource + (namedOnly ? " (by name)" : "");
        }
    }

    private static final String CORE = "";
    private static final String APPS = "apps";

    static final Map<String, Set<Grant>> ROLES = Map.of(
            "pgrelocate-migration", grants(
                    ledger(),
                    events(),
                    any(CORE, "configmaps", "create"),
                    any(APPS, "deployments", "get", "list", "watch"),
                    any(APPS, "statefulsets", "get", "list", "watch"),
                    any(APPS, "deployments/scale", "get", "update", "patch"),
                    any(APPS, "statefulsets/scale", "get", "update", "patch"),
                    any(CORE, "pods", "list", "watch")),
            "pgrelocate-migration-cutover", grants(
                    named(CORE, "secrets", "get", "delete"),
                    any(CORE, "secrets", "create"),
                    any(CORE, "configmaps", "create"),
                    any(APPS, "deployments", "update"),
                    any(APPS, "statefulsets", "update")),
            "pgrelocate-validation", grants(
                    ledger(),
                    events()),
            "pgrelocate-cleanup", grants(
                    ledger(),
                    events(),
                    any("acid.zalan.do", "postgresqls", "get", "delete"),
                    any(APPS, "statefulsets", "get", "delete", "list"),
                    any(APPS, "deployments", "list"),
                    any(APPS, "daemonsets", "list"),
                    any("batch", "cronjobs", "list"),
                    any("batch", "jobs", "list"),
                    any(CORE, "persistentvolumeclaims", "list", "delete"),
                    any(CORE, "services", "list", "delete"),
                    any(CORE, "secrets", "delete")));

    private RbacAllowList() {
    }

    /** The allowed grant for this permission of this Role, if any. */
    static Optional<Grant> find(String role, String apiGroup, String resource, String verb) {
        return ROLES.getOrDefault(role, Set.of()).stream()
                .filter(g -> g.apiGroup().equals(apiGroup) && g.resource().equals(resource) && g.verb().equals(verb))
                .findFirst();
    }

    /** The replica ledger, one ConfigMap named in resourceNames. */
    private static List<Grant> ledger() {
        return Arrays.stream(new String[] {"get", "update", "patch"})
                .map(verb -> new Grant(CORE, "configmaps", verb, true))
                .toList();
    }

    /** Events about the migration (on the ledger and the Job's pod): create only, never read or change others'. */
    private static List<Grant> events() {
        return any(CORE, "events", "create");
    }

    /** Limited by resourceNames: the cutover's backup Secret. */
    private static List<Grant> named(String apiGroup, String resource, String... verbs) {
        return Arrays.stream(verbs).map(verb -> new Grant(apiGroup, resource, verb, true)).toList();
    }

    private static List<Grant> any(String apiGroup, String resource, String... verbs) {
        return Arrays.stream(verbs).map(verb -> new Grant(apiGroup, resource, verb, false)).toList();
    }

    @SafeVarargs
    private static Set<Grant> grants(List<Grant>... groups) {
        return Stream.of(groups).flatMap(List::stream).collect(Collectors.toUnmodifiableSet());
    }
}
