package io.pgrelocate.engine.preflight;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pgrelocate.engine.ExitCode;

/** One preflight check: passed with what it saw, or failed with a one-line fix (and only then a failure code). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Check(String name, boolean passed, String message, ExitCode failure) {
    public static Check pass(String name, String message) {
        return new Check(name, true, message, null);
    }

    public static Check fail(String name, ExitCode failure, String message) {
        return new Check(name, false, message, failure);
    }

    /** The progress line of this check, as every preflight prints it: {@code preflight: ok   name: message}. */
    public String progressLine() {
        return "preflight: " + (passed ? "ok   " : "FAIL ") + line();
    }

    /** {@code name: message}, without repeating the name when the message already starts with it. */
    public String line() {
        return message.startsWith(name + ":") ? message : name + ": " + message;
    }
}
