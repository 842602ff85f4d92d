package io.pgrelocate.engine.settings;

import java.util.Objects;

/** A password that never prints itself: toString, logs and reports only see a mask. */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return value == null ? null : new Secret(value);
    }

    /** The clear value, for a JDBC property or a pgpass file; never for a log line. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
