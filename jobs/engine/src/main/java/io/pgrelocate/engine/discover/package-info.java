/**
 * Runbook step: discovery, before a migration. Finds the PostgreSQL sources in a namespace (Zalando,
 * Bitnami, external) and which applications use them.
 */
package io.pgrelocate.engine.discover;
