package io.pgrelocate.engine.merge;

import io.pgrelocate.engine.merge.MergePlan.Feed;
import io.pgrelocate.engine.merge.MergePlan.ForeignKeyPlan;
import io.pgrelocate.engine.merge.MergePlan.TargetTable;
import io.pgrelocate.engine.mysql.ColumnPlan;
import io.pgrelocate.engine.mysql.PgNames;
import io.pgrelocate.engine.mysql.TableCopier;
import io.pgrelocate.engine.postgres.Db;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Loads a merge: tables with their key first (ON CONFLICT needs it), then per table and feed, in
 * order: COPY into a temporary staging table, and one INSERT … SELECT DISTINCT ON (key) … ON CONFLICT
 * that applies the policy (first: DO NOTHING; last: DO UPDATE the feed's columns). Foreign keys last.
 */
final class MergeLoader {
    private static final String STAGE = "pgr_stage";
    private static final String SEQ = "_pgr_seq";

    private MergeLoader() {
    }

    static void load(Db target, MergeSources sources, MergePlan plan, Consumer<String> progress) {
        target.execute("CREATE SCHEMA IF NOT EXISTS " + PgNames.quote(plan.schema()));
        for (TargetTable t : plan.tables()) {
            target.execute("CREATE TABLE " + t.qualified() + " (" + t.columns().stream().map(c -> PgNames.quote(c.target()) + " "
                    + c.type().pgType() + (c.nullable() ? "" : " NOT NULL")).collect(Collectors.joining(", "))
                    + ", CONSTRAINT " + PgNames.quote(t.name() + "_pkey") + " PRIMARY KEY (" + quoted(t.key()) + "))");
        }
        for (TargetTable t : plan.tables()) {
            for (Feed f : t.feeds()) {
                target.execute("CREATE TEMP TABLE " + STAGE + " (" + f.columns().stream().map(c -> PgNames.quote(c.target()) + " "
                        + c.type().pgType()).collect(Collectors.joining(", ")) + ", " + SEQ + " bigserial)");
                TableCopier.Copied copied = TableCopier.copy(target, STAGE, f.display(), FeedRows.encoding(f),
                        consumer -> FeedRows.stream(sources, f, consumer));
                target.execute(insert(t, f));
                target.execute("DROP TABLE " + STAGE);
                progress.accept("merged " + copied.rows() + " rows of " + f.display() + " into " + t.display());
            }
        }
        for (ForeignKeyPlan fk : plan.foreignKeys()) {
            target.execute("ALTER TABLE " + PgNames.quote(plan.schema()) + "." + PgNames.quote(fk.table()) + " ADD CONSTRAINT "
                    + PgNames.quote(fk.table() + "_" + String.join("_", fk.columns()) + "_fkey") + " FOREIGN KEY (" + quoted(fk.columns())
                    + ") REFERENCES " + PgNames.quote(plan.schema()) + "." + PgNames.quote(fk.referencedTable()) + " ("
                    + quoted(fk.referencedColumns()) + ") ON DELETE " + fk.onDelete());
        }
        target.execute("ANALYZE " + plan.tables().stream().map(TargetTable::qualified).collect(Collectors.joining(", ")));
    }

    static String insert(TargetTable t, Feed f) {
        List<String> cols = f.columns().stream().map(ColumnPlan::target).toList();
        String key = quoted(t.key());
        String select = "SELECT DISTINCT ON (" + key + ") " + quoted(cols) + " FROM " + STAGE + " ORDER BY " + key + ", " + SEQ
                + (t.policy() == MergeMapping.Policy.LAST ? " DESC" : "");
        List<String> updates = cols.stream().filter(c -> !t.key().contains(c)).toList();
        String onConflict = switch (t.policy()) {
            case FIRST -> " ON CONFLICT (" + key + ") DO NOTHING";
            case LAST -> updates.isEmpty() ? " ON CONFLICT (" + key + ") DO NOTHING" : " ON CONFLICT (" + key + ") DO UPDATE SET "
                    + updates.stream().map(c -> PgNames.quote(c) + " = EXCLUDED." + PgNames.quote(c)).collect(Collectors.joining(", "));
            case FAIL -> "";
        };
        return "INSERT INTO " + t.qualified() + " (" + quoted(cols) + ") " + select + onConflict;
    }

    private static String quoted(List<String> names) {
        return names.stream().map(PgNames::quote).collect(Collectors.joining(", "));
    }
}
