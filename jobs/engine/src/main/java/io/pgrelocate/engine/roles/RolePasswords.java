package io.pgrelocate.engine.roles;

import io.pgrelocate.engine.settings.SettingsException;

import java.util.Locale;

/** How the application roles' passwords reach the target ({@code --role-passwords}, {@code PGRELOCATE_ROLE_PASSWORDS}). */
public enum RolePasswords {
    /** The stored verifiers (SCRAM or md5) from the source's pg_authid: the same passwords log in on the target. */
    CARRY,
    /**
     * The roles are created without passwords: the applications will log in with a target Secret
     * (e.g. CNPG's {@code <cluster>-app}, or {@code managed.roles} with a passwordSecret), whose
     * references the cutover rewrites.
     */
    TARGET_SECRET;

    public static RolePasswords parse(String value) {
        if (value == null || value.isBlank()) {
            return CARRY;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "carry" -> CARRY;
            case "target-secret" -> TARGET_SECRET;
            default -> throw new SettingsException("role passwords '" + value + "': use carry or target-secret");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
