package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An application to stop during the copy, written as kubectl writes it: {@code deployment/web}. */
public record WorkloadRef(Kind kind, String name) {

    /** The kinds that have a {@code /scale} subresource and pods we can wait for. */
    public enum Kind {
        DEPLOYMENT("Deployment"), STATEFULSET("StatefulSet");

        private final String apiKind;

        Kind(String apiKind) {
            this.apiKind = apiKind;
        }

        public String apiKind() {
            return apiKind;
        }

        static Kind parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "deployment", "deployments", "deploy" -> DEPLOYMENT;
                case "statefulset", "statefulsets", "sts" -> STATEFULSET;
                default -> null;
            };
        }
    }

    public static WorkloadRef parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        Kind kind = slash > 0 ? Kind.parse(t.substring(0, slash)) : null;
        String name = slash > 0 ? t.substring(slash + 1) : "";
        if (kind == null || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new SettingsException("workload '" + t + "' is not deployment/NAME or statefulset/NAME");
        }
        return new WorkloadRef(kind, name);
    }

    /** Parses a list such as {@code PGRELOCATE_WORKLOADS}, refusing duplicates. */
    public static List<WorkloadRef> parseAll(List<String> texts) {
        List<WorkloadRef> refs = new ArrayList<>();
        for (String t : texts) {
            if (t.isBlank()) {
                continue;
            }
            WorkloadRef ref = parse(t);
            if (refs.contains(ref)) {
                throw new SettingsException("workload " + ref + " is listed twice");
            }
            refs.add(ref);
        }
        return refs;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + "/" + name;
    }
}
