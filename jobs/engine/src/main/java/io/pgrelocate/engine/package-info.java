/**
 * The engine: all real work of pgrelocate, a plain library the CLI and the Jobs call. This package
 * holds only what every step shares: the exit codes ({@link io.pgrelocate.engine.ExitCode}) and the
 * one exception that carries one ({@link io.pgrelocate.engine.EngineException}). The runbook itself is
 * in {@code runbook}.
 */
package io.pgrelocate.engine;
