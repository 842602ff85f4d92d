package io.pgrelocate.controller;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.Map;

/** {@code --env KEY=VALUE} for one run: pgrelocate's own plain settings only, never a secret. */
final class EnvOverrides {
    private EnvOverrides() {
    }

    static Map<String, String> check(Map<String, String> env) {
        for (String key : env.keySet()) {
            if (!key.startsWith("PGRELOCATE_")) {
                throw new SettingsException("--env " + key + ": only PGRELOCATE_* settings can be set for one run; "
                        + "anything else belongs in the CronJob template");
            }
            if (key.contains("_PASSWORD") || key.endsWith("_URI")) {
                // the value is not echoed: it may be the very secret we refuse
                throw new SettingsException("--env " + key + ": secrets never go on a command line (shell history, ps and the "
                        + "Job's spec would keep them; a URI can carry a password); put it in the Secret the template refers to");
            }
        }
        return env;
    }
}
