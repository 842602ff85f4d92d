package io.pgrelocate.engine.discover;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a source database was deployed, which decides where its settings live. */
public enum Flavour {
    /** Zalando postgres-operator: a {@code postgresql} resource (acid.zalan.do/v1) and the objects it owns. */
    ZALANDO,
    /** The Bitnami Helm chart, alone or as a sub-chart: a StatefulSet labelled app.kubernetes.io/name=postgresql. */
    BITNAMI;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
