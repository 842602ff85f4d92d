package io.pgrelocate.engine.copy;

import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the stream copy makes after the data, made for a copy it did not finish: the indexes and
 * constraints (as {@link IndexPlan} builds them) and foreign keys (as {@link ForeignKeys}) that the
 * target lacks, each found missing by its name on its table, so nothing is created twice; then the
 * rest of post-data through pg_restore, without what those two make. For a resumed copy that stopped
 * before its later phases began (post-data is then wholly missing).
 */
public final class LaterPhases {
    private final Map<String, List<IndexBuild>> builds;
    private final List<ForeignKeys.ForeignKey> keys;
    private final Consumer<String> out;

    private LaterPhases(Map<String, List<IndexBuild>> builds, List<ForeignKeys.ForeignKey> keys, Consumer<String> out) {
        this.builds = builds;
        this.keys = keys;
        this.out = out;
    }

    /** The later phases of {@code tables} (qualified names), as the source's catalog has them now. */
    public static LaterPhases read(Db source, Set<String> tables, Consumer<String> out) {
        return new LaterPhases(IndexPlan.read(source, tables), ForeignKeys.read(source, tables), out);
    }

    /** Builds the indexes and constraints the target lacks (the apply needs the primary keys); how many. */
    public int buildMissingIndexes(Db target) {
        Set<String> present = present(target);
        int n = 0;
        for (List<IndexBuild> table : builds.values()) {
            for (IndexBuild b : table) {
                if (!present.contains(b.table() + " " + b.name())) {
                    target.execute(String.join(";\n", b.statements()));  // one implicit transaction: all or nothing
                    n++;
                }
            }
        }
        out.accept("resume: " + n + " missing index(es) and constraint(s) built");
        return n;
    }

    /** Adds the foreign keys the target lacks NOT VALID, then validates those valid on the source; how many added. */
    public int addMissingForeignKeys(Db target) {
        Set<String> present = present(target);
        int n = 0;
        for (ForeignKeys.ForeignKey k : keys) {
            if (!present.contains(k.table() + " " + k.name())) {
                target.execute(k.add());
                n++;
            }
            if (k.validated()) {
                target.execute(k.validate());  // a no-op on a key already valid
            }
        }
        out.accept("resume: " + n + " missing foreign key(s) added and validated");
        return n;
    }

    /** The post-data the stream copy leaves to pg_restore (triggers, rules, policies, …), from a schema dump taken now. */
    public void restorePostData(DumpRestore tools, ConnectionSpec source, ConnectionSpec target, Path workDir) {
        Set<Long> handled = new HashSet<>();
        builds.values().forEach(l -> l.forEach(b -> handled.add(b.tocOid())));
        keys.forEach(k -> handled.add(k.tocOid()));
        try (io.pgrelocate.engine.files.RunDirectory run = io.pgrelocate.engine.files.RunDirectory.create(workDir)) {
            Path dump = run.path().resolve("schema.dump");
            tools.dumpSchema(source, dump, null);
            List<String> rest = new ArrayList<>(StreamCopy.withoutHandled(tools.tableOfContents(dump, "post-data"), handled));
            tools.restoreEntries(target, dump, rest, "post-data");
        }
    }

    /** "table name" of every index and constraint on the target, as the builds and keys name them. */
    private static Set<String> present(Db target) {
        return new HashSet<>(target.list("""
                SELECT n.nspname || '.' || c.relname || ' ' || quote_ident(ic.relname)
                  FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_class ic ON ic.oid = x.indexrelid
                UNION
                SELECT c.oid::regclass::text || ' ' || quote_ident(co.conname)
                  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
                UNION
                SELECT n.nspname || '.' || c.relname || ' ' || quote_ident(co.conname)
                  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                """, rs -> rs.getString(1)));
    }
}
