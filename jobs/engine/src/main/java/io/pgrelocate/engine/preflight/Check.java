package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;

/** One preflight check: passed with what it saw, or failed with a one-line fix. */
public record Check(String name, boolean passed, String message, ExitCode failure) {
    public static Check pass(String name, String message) {
        return new Check(name, true, message, ExitCode.OK);
    }

    public static Check fail(String name, ExitCode failure, String message) {
        return new Check(name, false, message, failure);
    }

    /** {@code name: message}, without repeating the name when the message already starts with it. */
    public String line() {
        return message.startsWith(name + ":") ? message : name + ": " + message;
    }
}
