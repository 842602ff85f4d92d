package io.pgrelocate.engine.mysql;

import java.util.List;

/**
 * One target table fed by one source table: the columns in source order, and the key that names a
 * row in verify (the primary key, else the first unique key on NOT NULL columns, else none).
 *
 * @param nextIdentity the source's next AUTO_INCREMENT value (the identity continues from at least it), or null
 */
public record TablePlan(String source, String schema, String target, List<ColumnPlan> columns, List<String> keyColumns,
                        Long nextIdentity, long rowEstimate) {
    public String qualified() {
        return PgNames.quote(schema) + "." + PgNames.quote(target);
    }

    public String display() {
        return schema + "." + target;
    }
}
