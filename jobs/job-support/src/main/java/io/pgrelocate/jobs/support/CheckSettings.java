package io.pgrelocate.jobs.support;

import io.pgrelocate.engine.settings.ConnectionSpec;
import io.pgrelocate.engine.settings.PasswordSource;
import io.pgrelocate.engine.settings.SettingsException;

import java.util.List;

/** The settings of the checks in backup-test, cnpg-prepare and validation, validated for the engine. */
public final class CheckSettings {
    private final PasswordSource passwords;

    public CheckSettings(PasswordSource passwords) {
        this.passwords = passwords;
    }

    public static CheckSettings fromSystem() {
        return new CheckSettings(PasswordSource.fromSystem());
    }

    /**
     * The read-only endpoint from {@code PGRELOCATE_TARGET_RO_URI}, or null when it is not set. A URI
     * without a password takes the target's when the user is the same (CNPG's Services share one
     * login), otherwise one from a pgpass file.
     */
    public ConnectionSpec targetRo(JobSettings s, ConnectionSpec target) {
        String uri = s.targetRoUri().filter(u -> !u.isBlank()).orElse(null);
        if (uri == null) {
            return null;
        }
        ConnectionSpec ro;
        try {
            ro = ConnectionSpec.parse(uri);
        } catch (SettingsException e) {
            throw new SettingsException("PGRELOCATE_TARGET_RO_URI: " + e.getMessage());
        }
        if (ro.password() == null && ro.user().equals(target.user()) && target.password() != null) {
            return ro.withPassword(target.password());
        }
        return passwords.complete(ro, null, null);
    }

    /** The configured key tables; empty means the engine's default (the largest tables). */
    public static List<String> keyTables(JobSettings s) {
        return s.keyTables().orElse(List.of()).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** The maximum target/source ratio, or null when the baseline is informational. */
    public static Double perfMaxRatio(JobSettings s) {
        Double max = s.perfMaxRatio().orElse(null);
        if (max != null && !(max > 0)) {
            throw new SettingsException("PGRELOCATE_PERF_MAX_RATIO must be a positive number such as 2.0, not " + max);
        }
        return max;
    }
}
