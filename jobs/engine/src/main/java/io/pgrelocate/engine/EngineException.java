package io.pgrelocate.engine;

/** A failure the user can act on: one line, and the exit code that classifies it. */
public class EngineException extends RuntimeException {
    private final ExitCode exitCode;

    public EngineException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public EngineException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
