package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;

import java.util.List;

/**
 * The overall result of a job that runs one engine step (preflight, verify) and then checks of its
 * own: the step's failure comes first, because it is the more specific; then the first failed check.
 */
public record Verdict(String result, int exitCode, String error) {
    public static final Verdict PASSED = new Verdict(resultOf(ExitCode.OK), ExitCode.OK.code(), null);

    public static Verdict of(int stepExitCode, String stepResult, String stepError, List<CheckResult> checks) {
        if (stepExitCode != ExitCode.OK.code()) {
            return new Verdict(stepResult, stepExitCode, stepError);
        }
        return checks.stream().filter(c -> !c.passed()).findFirst()
                .map(c -> new Verdict(resultOf(c.failure()), c.failure().code(), c.name() + ": " + c.message()))
                .orElse(PASSED);
    }

    public static String resultOf(ExitCode code) {
        return code == ExitCode.OK ? "SUCCESS" : "FAILED: " + code.meaning();
    }

    public boolean passed() {
        return exitCode == ExitCode.OK.code();
    }

    /** The last lines of a job's summary: {@code "job     cnpg-prepare FAILED: ... (exit 17)"} and the error. */
    public String lines(String job) {
        return "job     " + job + " " + result + " (exit " + exitCode + ")\n" + (error == null ? "" : "error   " + error + "\n");
    }
}
