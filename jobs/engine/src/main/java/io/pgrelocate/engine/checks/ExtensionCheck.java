package io.pgrelocate.engine.checks;

import io.pgrelocate.engine.ExitCode;
import io.pgrelocate.engine.postgres.ExtensionInfo;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** After a migration: every extension of the source is installed on the target, and at which version. */
public final class ExtensionCheck {
    private ExtensionCheck() {
    }

    public static CheckResult compare(List<ExtensionInfo> source, List<ExtensionInfo> target) {
        Map<String, String> installed = target.stream().collect(Collectors.toMap(ExtensionInfo::name, ExtensionInfo::version));
        List<String> missing = source.stream().map(ExtensionInfo::name).filter(n -> !installed.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            return CheckResult.failed("extensions", ExitCode.CHECK_FAILED, "not installed on the target: " + String.join(", ", missing)
                    + ": CREATE EXTENSION them on the target (the image must ship them) and run validation again");
        }
        Map<String, ExtensionInfo> bySource = source.stream().collect(Collectors.toMap(ExtensionInfo::name, Function.identity()));
        List<String> differing = bySource.values().stream().filter(e -> !e.version().equals(installed.get(e.name())))
                .map(e -> e.name() + " " + e.version() + " → " + installed.get(e.name())).sorted().toList();
        String all = source.isEmpty() ? "none on the source"
                : source.stream().map(e -> e.name() + " " + installed.get(e.name())).collect(Collectors.joining(", "));
        if (!differing.isEmpty()) {
            return CheckResult.warning("extensions", "installed, at other versions: " + String.join(", ", differing)
                    + " (CREATE EXTENSION installs the target's default version: check that the applications work with it)");
        }
        return CheckResult.ok("extensions", "installed on the target: " + all);
    }
}
