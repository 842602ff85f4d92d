package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;

import java.util.List;

/**
 * One check of a source or target: passed, passed with a warning the user should read, or failed
 * with a one-line message that names the fix and the exit code that classifies it.
 */
public record CheckResult(String name, Status status, String message, ExitCode failure) {
    public enum Status { OK, WARNING, FAILED }

    public static CheckResult ok(String name, String message) {
        return new CheckResult(name, Status.OK, message, ExitCode.OK);
    }

    public static CheckResult warning(String name, String message) {
        return new CheckResult(name, Status.WARNING, message, ExitCode.OK);
    }

    public static CheckResult failed(String name, ExitCode failure, String message) {
        return new CheckResult(name, Status.FAILED, message, failure);
    }

    public boolean passed() {
        return status != Status.FAILED;
    }

    /** The summary line: {@code "  ok    tls rw: ..."}. */
    public String line() {
        String mark = switch (status) {
            case OK -> "ok    ";
            case WARNING -> "WARN  ";
            case FAILED -> "FAIL  ";
        };
        return "  " + mark + name + ": " + message;
    }

    /** A titled block of summary lines, one per check. */
    public static String section(String title, List<CheckResult> checks) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        checks.forEach(c -> sb.append(c.line()).append('\n'));
        return sb.toString();
    }
}
