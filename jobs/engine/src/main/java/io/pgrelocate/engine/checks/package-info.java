/**
 * Runbook step: validation after a switch (the validation Job). Endpoint, extension, key-table and TLS
 * checks, and the verdict they add up to.
 */
package io.pgrelocate.engine.checks;
