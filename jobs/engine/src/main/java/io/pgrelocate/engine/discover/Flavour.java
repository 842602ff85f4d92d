package io.pgrelocate.engine.discover;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a source database was deployed, which decides where its settings live. */
public enum Flavour {
    /** Zalando postgres-operator: a {@code postgresql} resource (acid.zalan.do/v1) and the objects it owns. */
    ZALANDO,
    /** The Bitnami Helm chart, alone or as a sub-chart: a StatefulSet labelled app.kubernetes.io/name=postgresql. */
    BITNAMI,
    /** Bitnami's mysql chart: StatefulSet {@code <release>-mysql[-primary|-secondary]} labelled app.kubernetes.io/name=mysql. */
    BITNAMI_MYSQL,
    /** Bitnami's mariadb chart: StatefulSet {@code <release>-mariadb[-primary|-secondary]} labelled app.kubernetes.io/name=mariadb. */
    BITNAMI_MARIADB;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
