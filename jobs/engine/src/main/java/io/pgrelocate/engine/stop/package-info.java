/**
 * Stopping a run: POSIX signals (SIGTERM, SIGINT, SIGHUP) turned into a requested stop, and the
 * checkpoint every long step calls so that a stop becomes an ordinary failure whose undo runs.
 */
package io.pgrelocate.engine.stop;
