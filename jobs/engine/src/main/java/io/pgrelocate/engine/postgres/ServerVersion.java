package io.pgrelocate.engine.postgres;

/** A PostgreSQL server version as server_version_num gives it (e.g. 150018). */
public record ServerVersion(int number, String text) {
    public int major() {
        return number / 10000;
    }

    @Override
    public String toString() {
        return text;
    }
}
