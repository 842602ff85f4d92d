package io.pgrelocate.engine.verify;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.Locale;

/**
 * When the window proves the copy. {@code before-thaw}: the full proof (row counts, content digests,
 * sequences, large objects, schema) before any write reaches the target; the window grows with the
 * data. {@code at-switch}: the sequences before the thaw (nothing that reads rows), the full proof after it, against
 * snapshots both sides exported at the switch point, while the applications already run on the target.
 */
public enum VerifyMode {
    BEFORE_THAW, AT_SWITCH;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static VerifyMode parse(String text) {
        for (VerifyMode m : values()) {
            if (m.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new SettingsException("unknown verify mode '" + text + "': use before-thaw or at-switch");
    }
}
