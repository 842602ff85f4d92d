package io.pgrelocate.engine.settings;

/** Bad or incomplete settings: reported as one line before anything is touched. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
