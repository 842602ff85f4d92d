package io.pgrelocate.engine.discover;

/** A database host an application is configured with that is no Service of its namespace (e.g. a managed RDS instance). */
public record ExternalDatabase(String app, String setting, String host) {
    @Override
    public String toString() {
        return app + " uses " + host + " (" + setting + ")";
    }
}
