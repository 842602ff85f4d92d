package io.pgrelocate.engine.copy.logical;

import io.pgrelocate.engine.copy.DumpRestore;
import io.pgrelocate.engine.files.RunDirectory;
import io.pgrelocate.engine.postgres.Db;
import io.pgrelocate.engine.settings.ConnectionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema in two halves around a copy that moves only rows (the subscription's copy_data):
 * before the data, pre-data plus the primary keys, unique constraints and replica-identity
 * indexes the apply needs to find rows; after it, the other indexes, foreign keys and triggers,
 * which would only slow the copy down. One {@code pg_dump --schema-only}, two restores.
 */
final class SchemaCopy implements AutoCloseable {
    // "217; 2606 16403 CONSTRAINT public t t_pkey owner": dump id; catalog and oid of the object
    private static final Pattern ENTRY = Pattern.compile("^\\d+; (\\d+) (\\d+) ");

    private final DumpRestore tools;
    private final ConnectionSpec source;
    private final ConnectionSpec target;
    private final RunDirectory run;
    private final Path dump;
    private List<String> afterData;

    /** The schema dump lives in a private directory of its own under {@code workDir}. */
    SchemaCopy(DumpRestore tools, ConnectionSpec source, ConnectionSpec target, Path workDir) {
        this.tools = tools;
        this.source = source;
        this.target = target;
        this.run = RunDirectory.create(workDir);
        this.dump = run.path().resolve("schema.dump");
    }

    /** Dumps the schema as of {@code snapshot} and restores what must precede the rows. */
    void beforeData(Db src, String snapshot) {
        tools.dumpSchema(source, dump, snapshot);
        // keyed as the table of contents names them: the catalog's oid, then the object's
        Set<String> keys = Set.copyOf(src.list("""
                SELECT 'pg_constraint'::regclass::oid || ' ' || oid FROM pg_constraint WHERE contype IN ('p', 'u')
                UNION ALL SELECT 'pg_class'::regclass::oid || ' ' || indexrelid FROM pg_index WHERE indisreplident""",
                rs -> rs.getString(1)));
        List<String> before = new ArrayList<>(tools.tableOfContents(dump, "pre-data"));
        afterData = new ArrayList<>();
        for (String line : tools.tableOfContents(dump, "post-data")) {
            Matcher m = ENTRY.matcher(line);
            (m.find() && keys.contains(m.group(1) + " " + m.group(2)) ? before : afterData).add(line);
        }
        tools.restoreEntries(target, dump, before, "schema before data");
    }

    /** Restores the rest: indexes, foreign keys, triggers. */
    void afterData() {
        tools.restoreEntries(target, dump, afterData, "schema after data");
    }

    /** Removes the schema dump with its directory. */
    @Override
    public void close() {
        run.close();
    }
}
