package io.pgrelocate.engine.postgres;

/** A relation that holds rows: a table, a partition, or a materialized view. */
public record TableInfo(String schema, String name, char kind, boolean unlogged, boolean populated,
                        long estimatedRows, long bytes) {

    public String qualifiedName() {
        return schema + "." + name;
    }

    public String sqlName() {
        return Db.qualified(schema, name);
    }

    public boolean materializedView() {
        return kind == 'm';
    }
}
