package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.postgres.Db;

import java.util.List;

/**
 * The source's publication. It must exist before the slot: pgoutput decides what to publish with
 * the catalog as of each change, so changes made before the publication would be skipped.
 */
final class Publication {
    private Publication() {
    }

    /**
     * FOR TABLE with the kept tables; partitions via their root where the major has it (13+).
     */
    static String create(Db source, LogicalNames names, SourceTables tables, int major) {
        // never FOR ALL TABLES: a resumed bulk copy takes single tables out of the publication and back (BulkResume)
        List<String> published = tables.published(major >= 13);
        return createAs(source, names, published.isEmpty() ? "" : "FOR TABLE " + String.join(", ", published), major);
    }

    /**
     * The way back's publication on the target: FOR ALL TABLES when the user may and the filter leaves
     * nothing out, so a table the applications create on the target after the switch is published too
     * and stops the reverse stream loudly on the source (which lacks it) instead of staying behind unseen.
     */
    static String createWhole(Db target, LogicalNames names, SourceTables tables, int major) {
        boolean superuser = target.text("SELECT current_setting('is_superuser')").equals("on");
        return superuser && tables.filterKeepsAll() ? createAs(target, names, "FOR ALL TABLES", major) : create(target, names, tables, major);
    }

    private static String createAs(Db source, LogicalNames names, String what, int major) {
        String name = names.publication();
        boolean viaRoot = major >= 13;
        String sql = "CREATE PUBLICATION " + Db.quoteIdent(name) + (what.isEmpty() ? "" : " " + what)
                + (viaRoot ? " WITH (publish_via_partition_root = true)" : "");
        source.execute(sql);
        source.execute("COMMENT ON PUBLICATION " + Db.quoteIdent(name) + " IS " + Subscription.literal(names.record()));
        return sql.length() > 200 ? sql.substring(0, 200) + "…" : sql;
    }

    /** The migration each pgrelocate publication of {@code source}'s database was made for, from its record (the COMMENT's first line). */
    static List<String> recorded(Db source) {
        return source.list("""
                SELECT split_part(substr(obj_description(oid, 'pg_publication'), ?), E'\n', 1) FROM pg_publication
                 WHERE obj_description(oid, 'pg_publication') LIKE ? ORDER BY 1""",
                rs -> rs.getString(1), LogicalNames.RECORD.length() + 1, LogicalNames.RECORD + "%");
    }

    static boolean drop(Db source, String name) {
        boolean existed = source.longValue("SELECT count(*) FROM pg_publication WHERE pubname = ?", name) > 0;
        source.execute("DROP PUBLICATION IF EXISTS " + Db.quoteIdent(name));
        return existed;
    }
}
