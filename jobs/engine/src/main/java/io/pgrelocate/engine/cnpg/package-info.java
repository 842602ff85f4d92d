/**
 * Runbook step: target preparation (the cnpg-prepare Job). CloudNativePG Cluster, Pooler, Subscription
 * and import manifests, built from the source's shape.
 */
package io.pgrelocate.engine.cnpg;
