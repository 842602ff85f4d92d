package io.pgrelocate.engine.switchover;

/**
 * What a run did to the applications (the replica ledger): serialised whole into the JSON report,
 * one line in the human summary. Implemented by {@code kube}; the report knows no Kubernetes.
 */
public interface ApplicationsReport {
    /** The summary's line about the applications, e.g. {@code ledger ns/pgrelocate-ledger-m: thawed, deployment/app 2 replica(s)}. */
    String summaryLine();
}
