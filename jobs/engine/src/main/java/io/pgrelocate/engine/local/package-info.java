/**
 * Local PostgreSQL servers (initdb, start, stop) and binaries, for the demo and the tests.
 */
package io.pgrelocate.engine.local;
