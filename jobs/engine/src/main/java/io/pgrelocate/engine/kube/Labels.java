package io.pgrelocate.engine.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every object pgrelocate creates, so that
 * {@code kubectl get all,cm,secrets,events -l pgrelocate.io/migration=<m>} shows all of a migration.
 */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PGRELOCATE = "pgrelocate";

    private Labels() {
    }

    /**
     * Which part of pgrelocate this process is: a Job's pod gets it from its own
     * {@code app.kubernetes.io/component} label ({@code PGRELOCATE_COMPONENT} through the downward
     * API, see manifests/); anywhere else it is the controller CLI.
     */
    public static String component() {
        String c = System.getenv("PGRELOCATE_COMPONENT");
        return c == null || c.isBlank() ? "controller" : c;
    }

    /** The labels of an object made by {@code component} (a job's name, or {@code controller}) for {@code migration}. */
    public static Map<String, String> of(String component, String migration) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, PGRELOCATE);
        labels.put(COMPONENT, component);
        labels.put(MANAGED_BY, PGRELOCATE);
        if (migration != null) {
            labels.put(LedgerStore.MIGRATION_LABEL, migration);
        }
        return labels;
    }
}
