package io.pgrelocate.engine.preflight;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.Inventory;

import java.util.List;
import java.util.Optional;

/** All checks in order, plus what was learnt about the source for the steps that follow. */
public record PreflightResult(List<Check> checks, Inventory source, Inventory target) {
    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public Optional<Check> firstFailure() {
        return checks.stream().filter(c -> !c.passed()).findFirst();
    }

    public ExitCode exitCode() {
        return firstFailure().map(Check::failure).orElse(ExitCode.OK);
    }
}
