package io.pgrelocate.engine.copy.logical;

import java.time.Duration;

/**
 * How a logical migration catches up and drains, as the user sets it.
 *
 * @param migration           names the publication, slot and subscription ({@code pgrelocate_<migration>})
 * @param maxLag              the window opens once the target is this close (bytes of WAL) to the source
 * @param catchUpTimeout      how long the catch-up may take before the migration gives up (nothing frozen yet)
 * @param drainTimeout        how long, inside the window, the target may take to apply the source's final position
 * @param replicaIdentityFull consent to REPLICA IDENTITY FULL on the source's tables without a key
 */
public record LogicalSettings(String migration, long maxLag, Duration catchUpTimeout, Duration drainTimeout, boolean replicaIdentityFull) {
    public static final LogicalSettings DEFAULTS = new LogicalSettings("local", LogicalOptions.DEFAULT_MAX_LAG, Duration.ofHours(24),
            Duration.ofMinutes(5), false);

    /** {@code 16MB}, {@code 512kB}, {@code 1GB} or plain bytes, as PostgreSQL writes sizes. */
    public static long parseSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(b|kb|mb|gb)?\\s*").matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new io.pgrelocate.engine.settings.SettingsException("'" + text + "' is not a size: write e.g. 16MB, 512kB or 1GB");
        }
        int shift = switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "kb" -> 10;
            case "mb" -> 20;
            case "gb" -> 30;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new io.pgrelocate.engine.settings.SettingsException("'" + text + "' is too large a size: at most "
                    + (Long.MAX_VALUE >> 30) + "GB");
        }
    }

    public LogicalSettings named(String name) {
        return new LogicalSettings(name, maxLag, catchUpTimeout, drainTimeout, replicaIdentityFull);
    }
}
