package io.pgrelocate.engine.settings;

import java.util.Locale;

/** libpq's sslmode values; pgjdbc understands the same names. */
public enum SslMode {
    DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

    public String libpqName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SslMode parse(String value) {
        for (SslMode mode : values()) {
            if (mode.libpqName().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new SettingsException("unknown sslmode '" + value
                + "': use disable, allow, prefer, require, verify-ca or verify-full");
    }

    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }
}
