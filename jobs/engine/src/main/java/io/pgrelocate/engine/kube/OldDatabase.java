package io.pgrelocate.engine.kube;

import io.pgrelocate.engine.settings.SettingsException;

/**
 * The database left behind after a migration, as the cleanup job names it:
 * {@code zalando/<cluster>} for a postgres-operator {@code postgresql} resource,
 * {@code bitnami/<statefulset>} for a Bitnami chart's StatefulSet.
 */
public record OldDatabase(Flavour flavour, String name) {
    public enum Flavour { ZALANDO, BITNAMI }

    public static OldDatabase parse(String text) {
        String t = text == null ? "" : text.strip();
        int slash = t.indexOf('/');
        String kind = slash > 0 ? t.substring(0, slash) : "";
        String name = slash > 0 ? t.substring(slash + 1) : "";
        Flavour flavour = switch (kind) {
            case "zalando" -> Flavour.ZALANDO;
            case "bitnami" -> Flavour.BITNAMI;
            default -> null;
        };
        if (flavour == null || !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new SettingsException("PGRELOCATE_CLEANUP_SOURCE '" + t + "' is not zalando/<cluster> or bitnami/<statefulset>");
        }
        return new OldDatabase(flavour, name);
    }

    @Override
    public String toString() {
        return flavour.name().toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }
}
