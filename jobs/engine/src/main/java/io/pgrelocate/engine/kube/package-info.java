/**
 * Runbook step: the applications in the window, on Kubernetes. {@link
 * io.pgrelocate.engine.kube.KubeApplications} implements the window's applications' port with the
 * replica ledger kept in a ConfigMap: freeze, cutover, thaw, undo; also the Job launcher and log
 * follower.
 */
package io.pgrelocate.engine.kube;
